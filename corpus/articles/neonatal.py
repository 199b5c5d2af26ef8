"""Report 2: neonatal iatrogenic calcinosis cutis after calcium gluconate extravasation."""

ARTICLE = {
    "stem": "neonatal_cc_extravasation_2022", "publisher": "northquay", "layout": "single",
    "cite_style": "authoryear", "article_type": "Imaging Case",
    "title": "A firm forearm plaque in a preterm infant: iatrogenic calcinosis cutis after calcium "
             "gluconate extravasation",
    "authors": [("Ines", "Marchetti", "I", [1]), ("Kwame", "Boateng", "K", [2]),
                ("Sofia", "Hallberg", "S", [1, 3]), ("Daniel", "Whitmore", "D", [2])],
    "corresponding": 0, "email": "ines.marchetti@harbourchildrens.example.org",
    "affiliations": ["Department of Paediatric Radiology, Harbour Children's Hospital, Port Alder",
                     "Neonatal Intensive Care Unit, Harbour Children's Hospital, Port Alder",
                     "Paediatric Dermatology Service, Lakeside Medical Centre, Port Alder"],
    "received": "3 May 2022", "accepted": "19 July 2022",
    "year": 2022, "volume": 6, "issue": 2, "first_page": 31, "doi": "10.5555/pic.2022.0031",
    "keywords": ["calcinosis cutis", "neonate", "calcium gluconate", "extravasation", "radiography",
                 "ultrasound"],
    "abstract": [
        ("Background", "Intravenous calcium is widely used in neonatal units, and leakage into the soft "
                       "tissues can lead to calcium deposits in the skin."),
        ("Case", "A preterm infant who had received calcium gluconate through a peripheral cannula in the "
                 "left forearm developed swelling at the site, followed within 3 weeks by a firm white "
                 "plaque. Radiographs and ultrasound showed subcutaneous calcification. She was managed "
                 "conservatively and the lesion resolved by 4 months of age."),
        ("Conclusion", "Recognising the imaging pattern avoids unnecessary biopsy and surgery in this "
                       "self-limiting condition."),
    ],
    "sections": [
        ("Introduction", [
            "Calcinosis cutis is conventionally divided into dystrophic, metastatic, idiopathic and "
            "iatrogenic types, with calciphylaxis often treated as a separate entity [[okafor2019]]. "
            "In newborns the iatrogenic form is the one met most often, and it usually follows intravenous "
            "administration of calcium salts for hypocalcaemia or during exchange transfusion [[patel2015]]. "
            "Calcium gluconate is an irritant solution, and even a small volume that leaks outside the "
            "vein can cause local tissue injury on which calcium phosphate crystals are deposited "
            "[[kimura2012,haugen2016]].",
            "Preterm infants are particularly vulnerable because their veins are fragile, their skin is thin, "
            "and they often cannot signal pain when a cannula begins to leak. A staged approach to infiltration "
            "injury has been proposed to guide early care [[harcourt2018]]. We describe the clinical "
            "and imaging course of one such infant and review the features that separate this benign "
            "condition from its mimics.",
        ]),
        ("Case presentation", [
            "A girl was born by caesarean section at 31 weeks of gestation, weighing 1480 g. On day 4 of "
            "life she developed hypocalcaemia (ionised calcium 0.86 mmol/L) and was given intravenous "
            "10% calcium gluconate through a peripheral cannula on the dorsum of the left forearm, as a "
            "continuous infusion of 2 mL/kg/day. On day 7 the nursing staff noticed pallor and swelling "
            "around the cannula, which was removed at once. The limb was elevated and the site was left "
            "uncovered for observation. No hyaluronidase was given, as the leak was recognised late.",
            "Over the following days the swelling turned erythematous and then indurated. Within 3 weeks "
            "a firm, whitish, slightly raised plaque measuring about 20 by 14 mm had formed on the dorsal "
            "forearm (Figure 1). The infant was otherwise thriving, feeding well and afebrile, and inflam&shy;matory "
            "markers were normal. She was discharged home and reviewed in the outpatient imaging clinic at "
            "several weeks of age because the parents were worried that the lump was growing.",
            {"kind": "figure", "draw": "limb", "args": ["indurated plaque"],
             "caption": "Site of the lesion on the dorsal aspect of the left forearm, drawn from the clinical "
                        "photograph taken at 3 weeks after the extravasation."},
            "Plain radiographs of the left forearm showed amorphous and stippled calcific densities in the "
            "subcutaneous tissue, separate from the radius and ulna, with no periosteal reaction. Ultrasound "
            "with a high-frequency linear probe showed a well-defined echogenic area in the subcutaneous fat "
            "with posterior acoustic shadowing and no increase in colour Doppler flow, a pattern described in "
            "earlier sonographic series [[lindgren2013]]. The underlying veins were compressible. "
            "Serum calcium, phosphate and alkaline phosphatase were within the reference ranges for age, "
            "and the blood gas showed a normal partial pressure of CO<sub>2</sub>.",
            "The clinical history and imaging were diagnostic of iatrogenic calcinosis cutis secondary to "
            "calcium gluconate extravasation. Biopsy was not thought necessary. Subcutaneous fat necrosis "
            "of the newborn, infection and a soft-tissue tumour were considered but were not supported by "
            "the examination or the imaging. The family was reassured and conservative care was agreed.",
            "Management consisted of gentle cleansing, a bland emollient and a topical antibiotic ointment "
            "applied twice daily to a small superficial erosion that appeared over the plaque at around "
            "6 weeks, when chalky material was extruded through the skin. Surgical excision was considered "
            "if the lesion ulcerated widely or restricted wrist movement, but this was never required. "
            "The plaque softened and shrank progressively (Figure 2 and Table 1).",
            {"kind": "figure", "draw": "bars", "args": [["3 wk", "6 wk", "10 wk", "14 wk", "18 wk"],
                                                       [20, 17, 11, 5, 0], "mm"],
             "caption": "Longest diameter of the plaque at successive visits, in weeks after the "
                        "extravasation; the lesion was no longer palpable at 18 weeks."},
            {"kind": "table", "widths": [0.22, 0.3, 0.48],
             "caption": "Follow-up findings after the extravasation injury.",
             "rows": [["Time", "Longest diameter", "Findings"],
                      ["3 weeks", "20 mm", "Firm white plaque, no ulceration"],
                      ["6 weeks", "17 mm", "Extrusion of chalky material, small erosion"],
                      ["10 weeks", "11 mm", "Softer, erosion healed"],
                      ["14 weeks", "5 mm", "Faint residual nodule"],
                      ["18 weeks", "not palpable", "Normal skin; radiograph clear"]]},
            "By 4 months of age the lesion had resolved clinically, and a repeat radiograph at the "
            "5-month visit showed complete disappearance of the calcific densities. There was no "
            "scarring, contracture or limitation of movement, and the infant was discharged from follow-up.",
        ]),
        ("Discussion", [
            "Extravasation of calcium-containing fluids is a recognised hazard of neonatal intensive care. "
            "In a five-year audit of a single unit, calcium solutions accounted for a large share of the "
            "infiltration injuries that led to skin changes, and most occurred in preterm infants "
            "[[patel2015]]. The mechanism is thought to combine direct chemical injury to the tissue, "
            "local necrosis and a high concentration of calcium at the site, so that the lesion can be "
            "regarded as a dystrophic process triggered by a medical intervention [[haugen2016]].",
            "The typical time course is characteristic. Erythema and swelling appear within hours to days, "
            "calcification becomes visible on radiographs after about 1 to 3 weeks, and spontaneous "
            "resolution follows over several months. In a review of eighteen infants (n = 18), every lesion "
            "regressed without surgery, the median time to resolution being a little under 4 months "
            "[[fontaine2010]]. Our patient followed exactly this course.",
            "The main imaging differential is subcutaneous fat necrosis of the newborn, which also "
            "calcifies but occurs after perinatal stress, affects the back, buttocks and cheeks rather than "
            "a cannula site, and may be associated with hypercalcaemia. Osteoma cutis and calcifying "
            "tumours such as pilomatricoma are rare at this age and do not follow an extravasation event "
            "[[lindgren2013,okafor2019]]. Venous calcification may accompany the soft-tissue "
            "deposits when the infusate has tracked along a vein, and recognising it prevents confusion with "
            "a vascular malformation.",
            "Active treatment is rarely needed. Local measures such as elevation, avoidance of pressure and "
            "protection of any erosion are usually sufficient. Intralesional or topical sodium thiosulfate, "
            "used for calcinosis in adults [[nguyen2020,oyelaran2015]], has hardly been "
            "studied in infants and was not indicated here. Surgical excision is reserved for persistent "
            "lesions causing functional impairment. Prevention depends on careful cannula care: regular "
            "inspection of the site, dilution of the calcium solution, and the use of central venous access "
            "where calcium must be given for long periods [[harcourt2018]].",
        ]),
        ("Conclusion", [
            "A firm white plaque at a former infusion site in a neonate, appearing within weeks of calcium "
            "gluconate therapy, should suggest iatrogenic calcinosis cutis. Radiographs and ultrasound are "
            "sufficient for the diagnosis, and conservative care leads to resolution within a few months.",
        ]),
    ],
    "back": [("Acknowledgements", "The authors thank the neonatal nursing team for their careful "
                                  "documentation of the cannula site."),
             ("Funding", "This work received no specific grant from any funding agency."),
             ("Conflicts of interest", "None declared."),
             ("Consent", "The parents gave written consent for publication.")],
    "case": {
        "condition": "calcinosis cutis", "subtype": "iatrogenic calcinosis cutis",
        "subtype_also": [],
        "differentials": ["subcutaneous fat necrosis of the newborn", "osteoma cutis", "pilomatricoma"],
        "patient": {"age_years": 0, "age_text": "several weeks of age", "sex": "female",
                    "comorbidities": ["prematurity", "hypocalcaemia"]},
        "causes": [{"cause": "calcium gluconate extravasation", "cause_kind": "drug",
                    "effect": "calcinosis cutis", "text": "calcium gluconate extravasation"}],
        "imaging": ["X-ray", "ultrasound"],
        "biopsy": "not performed",
        "treatments": [
            {"treatment": "conservative management", "text": "conservative care", "kind": "other",
             "status": "given", "dose": None, "frequency": None, "sessions": None, "outcome": "resolved",
             "response_pct": None},
            {"treatment": "topical antibiotic", "text": "topical antibiotic ointment", "kind": "drug",
             "route": "topical", "status": "given", "dose": None, "frequency": "twice daily",
             "frequency_iso": "R/P1D", "sessions": None, "outcome": "resolved", "response_pct": None},
            {"treatment": "surgical excision", "text": "Surgical excision was considered", "kind": "procedure",
             "status": "considered", "dose": None, "frequency": None, "sessions": None, "outcome": None,
             "response_pct": None},
            {"treatment": "calcium gluconate", "text": "intravenous 10% calcium gluconate", "kind": "drug",
             "route": "intravenous", "status": "given", "dose": "2 mL/kg/day", "frequency": "continuous",
             "sessions": None, "outcome": None, "response_pct": None, "role": "cause"},
        ],
        "outcome": "resolved",
        "timings": [
            {"text": "On day 4 of life", "type": "AGE", "value": "P4D", "mod": None, "event_kind": "exposure"},
            {"text": "Within 3 weeks", "type": "DURATION", "value": "P3W", "mod": "LESS_THAN_OR_EQUAL",
             "event_kind": "onset"},
            {"text": "several weeks of age", "type": "AGE", "value": "PXW", "mod": None, "event_kind": "age"},
            {"text": "around 6 weeks", "type": "DURATION", "value": "P6W", "mod": "APPROX", "event_kind": "other"},
            {"text": "By 4 months of age", "type": "AGE", "value": "P4M", "mod": "END",
             "event_kind": "resolution"},
            {"text": "31 weeks of gestation", "type": "AGE", "value": "P31W", "mod": None, "event_kind": "age"},
        ],
    },
}
