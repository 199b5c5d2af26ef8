"""Report 3: calciphylaxis on haemodialysis treated with intravenous sodium thiosulfate."""

ARTICLE = {
    "stem": "calciphylaxis_sts_2023", "publisher": "meridian", "layout": "mixed", "cite_style": "super",
    "article_type": "Case Report",
    "title": "Intravenous sodium thiosulfate for calciphylaxis of the thighs in a patient on haemodialysis",
    "authors": [("Aleksander", "Novak", "A", [1]), ("Chiara", "Benedetti", "C", [2]),
                ("Oluwaseun", "Adebayo", "O", [1]), ("Freya", "MacLeod", "F", [3]),
                ("Tomas", "Ilves", "T", [2])],
    "corresponding": 1, "email": "c.benedetti@kestrelrenal.example.org",
    "affiliations": ["Department of Dermatology, Kestrel University Hospital, Kestrel Bay, Norland",
                     "Renal Unit, Kestrel University Hospital, Kestrel Bay, Norland",
                     "Tissue Viability Service, Kestrel Community Health Trust, Kestrel Bay, Norland"],
    "received": "9 January 2023", "accepted": "21 March 2023",
    "year": 2023, "volume": 16, "issue": 2, "first_page": 88, "doi": "10.5555/jccr.2023.0088",
    "keywords": ["calciphylaxis", "calcific uraemic arteriolopathy", "sodium thiosulfate", "haemodialysis",
                 "wound healing"],
    "abstract": [
        ("", "Calciphylaxis is a painful and often fatal disorder of small-vessel calcification, seen mostly "
             "in people with kidney failure. A 61-year-old man on haemodialysis presented with retiform "
             "purpura of both thighs that progressed to necrotic ulcers over 5 weeks. A telescoping punch "
             "biopsy confirmed calciphylaxis. Warfarin was stopped, phosphate control was intensified and "
             "intravenous sodium thiosulfate 25 g was given three times weekly during dialysis for 24 "
             "sessions. Pain improved within 2 weeks, and the total ulcer area showed a 40% improvement after "
             "4 weeks of treatment. Treatment was complicated by metabolic acidosis, corrected by adjusting "
             "the dialysate. At 3 months the smaller ulcer had healed. Early thiosulfate, combined with "
             "attention to risk factors and wound care, may help some patients."),
    ],
    "sections": [
        ("Introduction", [
            "Calciphylaxis, also called calcific uraemic arteriolopathy, is characterised by calcification "
            "of the media of small arteries and arterioles in the dermis and subcutaneous fat, followed by "
            "intimal fibrosis, thrombosis and ischaemic necrosis of the skin. It is sometimes grouped with "
            "the subtypes of calcinosis cutis, although its course is much more severe.[[okafor2019]] "
            "Most patients are on dialysis, and one-year mortality in recent cohorts remains around "
            "50%.[[mbeki2021]]",
            "Recognised risk factors include female sex, obesity, diabetes mellitus, hyper&shy;phos&shy;phataemia, "
            "high calcium-phosphate product, secondary hyper&shy;para&shy;thyroidism and treatment with vitamin K "
            "antagonists.[[mbeki2021,ruiz2016]] No therapy has been tested in a randomised trial, and "
            "management combines removal of risk factors, pain control, wound care and agents thought to "
            "inhibit calcification or dissolve calcium deposits. We report a patient in whom intravenous "
            "sodium thiosulfate was associated with a measurable reduction in ulcer size, and we describe "
            "the dosing and the practical problems we encountered.",
        ]),
        ("Case report", [
            "A 61-year-old man with end-stage kidney disease due to diabetic nephropathy had been on "
            "haemodialysis three times weekly for 4 years. His other conditions were type 2 diabetes, "
            "hypertension and atrial fibrillation, for which he had taken warfarin for 6 years. He was "
            "referred from the dialysis unit with exquisitely painful violaceous patches on the inner "
            "thighs that had appeared 5 weeks before. Over that time the patches had developed a net-like "
            "border and two had broken down into ulcers with black eschar.",
            "On examination there were bilateral areas of retiform purpura with indurated, tender "
            "subcutaneous plaques, and two necrotic ulcers on the right and left medial thighs, with a "
            "combined area of 42 cm<super>2</super>. Peripheral pulses were palpable. Blood tests before "
            "dialysis showed adjusted calcium 2.48 mmol/L, phosphate (PO<sub>4</sub>) 2.31 mmol/L, "
            "parathyroid hormone 68 pmol/L and albumin 29 g/L. The international normalised ratio was 2.6. "
            "A telescoping punch biopsy from the edge of a plaque showed circumferential calcification of "
            "small subcutaneous arterioles with intimal hyperplasia, microthrombi and fat necrosis, "
            "confirming calciphylaxis.[[brightman2017]]",
            {"kind": "table", "float": True, "widths": [0.1, 0.2, 0.22, 0.16, 0.32],
             "caption": "Course of intravenous sodium thiosulfate and wound measurements. Ulcer area is the sum of "
                        "both ulcers, measured by acetate tracing; pain was scored from 0 to 10.",
             "rows": [["Week", "Cumulative sessions", "Total ulcer area", "Pain score", "Comment"],
                      ["0", "0", "42 cm<super>2</super>", "9", "Baseline; warfarin stopped"],
                      ["2", "6", "38 cm<super>2</super>", "5", "Pain improved; opioid dose reduced"],
                      ["4", "12", "25 cm<super>2</super>", "4", "40% reduction in area; bicarbonate 17 mmol/L"],
                      ["8", "24", "16 cm<super>2</super>", "2", "Course completed"],
                      ["12", "24", "9 cm<super>2</super>", "1", "Smaller ulcer healed; granulation tissue"]]},
            "Warfarin was stopped and replaced with apixaban. His calcium-based phosphate binder was changed "
            "to sevelamer, cinacalcet 30 mg once daily was started for the secondary hyper&shy;para&shy;thyroidism, "
            "and dialysis sessions were lengthened to 4.5 hours. Intravenous sodium thiosulfate 25 g in 100 mL "
            "of saline was infused over the last 60 minutes of each dialysis session, three times weekly. "
            "A total of 24 sessions were given over 8 weeks (Table 1).",
            "Wound care was led by the tissue viability team, with moist dressings and gentle removal of "
            "loose slough; extensive surgical debridement was considered but deferred while the wound edges "
            "were still extending.[[dewitt2019]] Pain was managed with regular paracetamol, low-dose "
            "buprenorphine patches and gabapentin adjusted for renal function.[[holm2020]] Hyperbaric oxygen "
            "therapy was recommended by the wound team, but it could not be arranged within a reasonable "
            "travelling distance.",
            "Pain began to improve within 2 weeks of starting thiosulfate, allowing the opioid dose to be "
            "reduced. After 4 weeks of treatment (12 sessions) the total ulcer area had fallen from 42 to "
            "25 cm<super>2</super>, a 40% improvement, and no new lesions had appeared (Figure 1). "
            "At that point the pre-dialysis serum bicarbonate, reported as total CO<sub>2</sub>, had fallen "
            "from 22 to 17 mmol/L, an expected effect of thiosulfate; the dialysate bicarbonate was "
            "increased, and the value returned to 21 mmol/L within a week. He also reported nausea during "
            "the first few infusions, which settled when the infusion was slowed.",
            {"kind": "figure", "draw": "bars",
             "args": [["wk 0", "wk 2", "wk 4", "wk 8", "wk 12"], [42, 38, 25, 16, 9], "cm2"],
             "caption": "Total ulcer area (cm<super>2</super>) during and after the course of intravenous "
                        "sodium thiosulfate. The course of 24 sessions ended at week 8."},
            "The course was completed at 8 weeks. At the 3-month review the smaller ulcer had healed and "
            "the larger was covered with healthy granulation tissue, measuring 9 cm<super>2</super> in "
            "total. Phosphate was 1.62 mmol/L and parathyroid hormone 31 pmol/L. He remained on apixaban, "
            "sevelamer and cinacalcet.",
        ]),
        ("Discussion", [
            "Sodium thiosulfate is the agent most often used for calciphylaxis, although the evidence "
            "comes from observational studies, registries and case reports.[[balogun2017,adeyemi2021,nguyen2020,tran2018,sato2022,haugen2016,corpus:cc_fat_grafting_2021]] "
            "It is thought to increase the solubility of calcium deposits by forming calcium thiosulfate, "
            "and it also has antioxidant and vasodilating effects. The usual regimen, which we followed, "
            "is 25 g given intravenously during the last hour of each haemodialysis session; registry data "
            "suggest that most responders improve within the first 4 to 8 weeks.[[adeyemi2021,balogun2017]]",
            "In a retrospective cohort (n = 53), about half of the patients treated with intravenous "
            "thiosulfate showed wound improvement, and benefit was more likely when treatment started "
            "early.[[balogun2017]] Our patient's ulcers were still limited when therapy began, which may "
            "explain the good response. The same drug has been given intra&shy;lesionally for localised "
            "dystrophic and iatrogenic calcinosis cutis, including deposits after cosmetic fat grafting, "
            "where a patient declined it in favour of observation.[[nguyen2020,corpus:cc_fat_grafting_2021]]",
            "Adverse effects of thiosulfate include nausea, hypotension, volume overload and a high anion "
            "gap metabolic acidosis, which may be significant in patients with little residual renal "
            "function.[[adeyemi2021]] Routine monitoring of serum bicarbonate is therefore advisable. "
            "Bisphosphonates and hyperbaric oxygen are alternatives or additions, each supported only by "
            "small series.[[tran2018,sato2022]] Correcting the mineral disorder and stopping warfarin are "
            "simple steps that should not be delayed.[[ruiz2016]]",
            "Pathologically, calciphylaxis differs from other forms of calcinosis cutis in that the "
            "calcification is vascular rather than interstitial, and the skin damage is ischaemic. The "
            "interstitial and fat calcification seen in our biopsy reflects secondary injury, much as in "
            "dystrophic calcinosis.[[kimura2012]]",
        ]),
        ("Conclusion", [
            "Intravenous sodium thiosulfate, given three times weekly with dialysis and combined with "
            "withdrawal of warfarin, phosphate control and structured wound care, was followed by a 40% "
            "improvement in ulcer area after 4 weeks in this patient. Acid-base status should be monitored "
            "during treatment.",
        ]),
    ],
    "back": [("Funding", "None."),
             ("Conflicts of interest", "C.B. has received speaker fees from a dialysis provider; the other "
                                       "authors declare no conflicts of interest."),
             ("Acknowledgements", "We thank the dialysis nurses of the Kestrel renal unit, who measured "
                                  "and photographed the wounds at every session.")],
    "case": {
        "condition": "calciphylaxis", "subtype": "calciphylaxis", "subtype_also": [],
        "differentials": [],
        "patient": {"age_years": 61, "age_text": "61-year-old", "sex": "male",
                    "comorbidities": ["end-stage kidney disease", "type 2 diabetes", "hypertension",
                                      "atrial fibrillation"]},
        "causes": [{"cause": "end-stage kidney disease", "cause_kind": "disease", "effect": "calciphylaxis",
                    "text": "end-stage kidney disease"},
                   {"cause": "warfarin", "cause_kind": "drug", "effect": "calciphylaxis", "text": "warfarin"}],
        "imaging": [], "biopsy": "performed",
        "treatments": [
            {"treatment": "sodium thiosulfate", "text": "Intravenous sodium thiosulfate 25 g", "kind": "drug",
             "route": "intravenous", "status": "given", "dose": "25 g", "frequency": "three times weekly",
             "frequency_iso": "R/P1W", "freq": "3X", "sessions": 24, "duration": "P8W", "outcome": "improved",
             "response_pct": 40, "response_time": "P4W"},
            {"treatment": "cinacalcet", "text": "cinacalcet 30 mg once daily", "kind": "drug", "route": "oral",
             "status": "given", "dose": "30 mg", "frequency": "once daily", "frequency_iso": "R/P1D",
             "sessions": None, "outcome": None, "response_pct": None},
            {"treatment": "sevelamer", "text": "sevelamer", "kind": "drug", "status": "given", "dose": None,
             "frequency": None, "sessions": None, "outcome": None, "response_pct": None},
            {"treatment": "warfarin discontinuation", "text": "Warfarin was stopped", "kind": "other", "status": "given",
             "dose": None, "frequency": None, "sessions": None, "outcome": None, "response_pct": None},
            {"treatment": "surgical debridement", "text": "extensive surgical debridement was considered",
             "kind": "procedure", "status": "considered", "dose": None, "frequency": None, "sessions": None,
             "outcome": None, "response_pct": None},
            {"treatment": "hyperbaric oxygen therapy", "text": "Hyperbaric oxygen therapy was recommended",
             "kind": "procedure", "status": "recommended", "dose": None, "frequency": None, "sessions": None,
             "outcome": None, "response_pct": None},
        ],
        "outcome": "improved", "response_pct": 40,
        "timings": [
            {"text": "5 weeks before", "type": "DURATION", "value": "P5W", "mod": None, "event_kind": "onset"},
            {"text": "for 4 years", "type": "DURATION", "value": "P4Y", "mod": None, "event_kind": "other"},
            {"text": "within 2 weeks", "type": "DURATION", "value": "P2W", "mod": "LESS_THAN_OR_EQUAL",
             "event_kind": "treatment"},
            {"text": "After 4 weeks of treatment", "type": "DURATION", "value": "P4W", "mod": None,
             "event_kind": "treatment"},
            {"text": "three times weekly", "type": "SET", "value": "R/P1W", "freq": "3X", "mod": None,
             "event_kind": "treatment"},
            {"text": "over 8 weeks", "type": "DURATION", "value": "P8W", "mod": None, "event_kind": "treatment"},
            {"text": "3-month review", "type": "DURATION", "value": "P3M", "mod": None, "event_kind": "follow_up"},
        ],
    },
}
