"""Report 1: facial calcinosis cutis years after autologous fat grafting (adult)."""

ARTICLE = {
    "stem": "cc_fat_grafting_2021", "publisher": "meridian", "layout": "two", "cite_style": "super",
    "article_type": "Case Report",
    "title": "Calcified facial nodules twelve years after autologous fat grafting: "
             "a case of iatrogenic dystrophic calcinosis cutis",
    "authors": [("Maren", "Okonjo", "M", [1]), ("Tobias", "Lindqvist", "T", [1, 2]),
                ("Priya", "Raman", "P", [3]), ("Hugo", "Ferrand", "H", [1])],
    "corresponding": 1, "email": "t.lindqvist@valemont-derm.example.org",
    "affiliations": ["Department of Dermatology, Valemont University Hospital, Valemont, Norland",
                     "Skin Imaging Unit, Institute of Clinical Sciences, Valemont, Norland",
                     "Department of Radiology, St Aldric General Hospital, Eastbridge, Norland"],
    "received": "14 February 2021", "accepted": "30 April 2021",
    "year": 2021, "volume": 14, "issue": 3, "first_page": 145, "doi": "10.5555/jccr.2021.0145",
    "keywords": ["calcinosis cutis", "autologous fat grafting", "dystrophic calcification",
                 "iatrogenic", "computed tomography"],
    "abstract": [
        ("", "Calcinosis cutis after cosmetic procedures is uncommon and easily mistaken for other "
             "firm facial lumps. We describe a 52-year-old woman with hard, painless nodules of both cheeks "
             "that had appeared gradually over 3 years. Twelve years before presentation she had undergone "
             "autologous fat grafting to the cheeks and nasolabial folds. Ultrasound, plain X-ray and "
             "computed tomography showed multiple calcified foci in the subcutaneous fat, and serum calcium, "
             "phosphate and parathyroid hormone were normal. She declined a biopsy. A diagnosis of "
             "iatrogenic calcinosis cutis of dystrophic type was made on the history and imaging. "
             "Intralesional sodium thiosulfate was recommended but declined, and the nodules were unchanged "
             "at 6 months of follow-up. Imaging can secure the diagnosis when tissue is not available."),
    ],
    "sections": [
        ("Introduction", [
            "Calcinosis cutis is the deposition of insoluble calcium salts in the skin and subcutaneous "
            "tissue. It is usually divided into dystrophic, metastatic, idiopathic and iatrogenic forms, "
            "with calciphylaxis often listed as a fifth subtype.[[okafor2019]] The dystrophic form is the "
            "most frequent and arises in tissue that is already damaged, while serum calcium and phosphate "
            "stay within the reference range.[[kimura2012]] Necrotic adipocytes release free fatty acids that "
            "bind calcium, and this saponification is thought to provide the first nidus for crystal growth.[[haugen2016]]",
            "Autologous fat grafting is now a routine office procedure for facial volume loss and acne "
            "scarring. Oil cysts, fat necrosis and late calci&shy;fication are recognised complications, "
            "although most published series follow patients for only a few years.[[vasquez2018,ito2014]] "
            "Calcified nodules appearing a decade or more after grafting are rarely reported, and they may "
            "be confused with osteoma cutis, pilomatricoma or granulomatous reactions to fillers.[[almeida2019]] "
            "We report such a case, diagnosed without histology.",
            "Because the deposits are usually asymptomatic, patients seldom link them to a cosmetic "
            "treatment performed long ago, and the relevant history is easily missed unless the clinician "
            "asks about it directly. Injectable fillers, mesotherapy and fat transfer should therefore be "
            "part of the routine history for any patient with firm facial nodules.",
        ]),
        ("Case report", [
            "A 52-year-old woman attended our outpatient clinic with firm lumps on both cheeks. She had "
            "first noticed them about 3 years earlier, and they had slowly increased in number. They were "
            "painless, had never discharged chalky material, and were not affected by sun exposure. "
            "Twelve years earlier she had undergone autologous fat grafting to the malar region and "
            "nasolabial folds at a private clinic; fat had been harvested from the abdomen by liposuction "
            "and injected in several passes. She recalled transient swelling for 48-72 hours after the "
            "procedure and no infection. She had no history of renal disease, connective tissue disease, "
            "trauma to the face or vitamin D supplementation, and took no regular medication.",
            "On examination there were nine skin-coloured to slightly yellowish papules and nodules, 2 to 9 mm "
            "across, on the left and right cheeks (Figure 1). They were stony hard, mobile over deeper "
            "structures and not tender. The overlying skin was intact. There was no lymphadenopathy and "
            "no sclerodactyly, telangiectasia or Raynaud phenomenon.",
            {"kind": "figure", "draw": "face",
             "args": [[(0.22, 0.42, 0.06), (0.3, 0.35, 0.08), (0.27, 0.5, 0.05), (0.35, 0.28, 0.05),
                       (0.72, 0.44, 0.07), (0.78, 0.36, 0.05), (0.68, 0.3, 0.06), (0.75, 0.52, 0.04),
                       (0.64, 0.4, 0.04)]],
             "caption": "Distribution of the nine calcified nodules on both cheeks at presentation "
                        "(schematic drawn from clinical photographs; not to scale)."},
            "High-frequency ultra&shy;sonography showed well-defined hyperechoic foci with posterior acoustic "
            "shadowing within the subcutaneous fat, without internal vascular flow.[[lindgren2013]] A plain "
            "X-ray of the facial bones confirmed punctate radio-opaque densities projected over both malar "
            "regions. Non-contrast computed tomography demonstrated multiple rounded and curvilinear "
            "calcifications, the largest measuring 8 mm, confined to the subcutaneous tissue with normal "
            "underlying bone. Some lesions had a rim-like pattern typical of calcified oil cysts.",
            "Serum calcium, phosphate (PO<sub>4</sub>), alkaline phosphatase, parathyroid hormone, "
            "25-hydroxyvitamin D and renal function were all normal (Table 1). Antinuclear antibodies were "
            "negative. A diagnostic excision biopsy was offered, but the patient declined any procedure on "
            "her face because of concern about scarring.",
            {"kind": "table", "widths": [0.46, 0.27, 0.27],
             "caption": "Laboratory results at presentation.",
             "rows": [["Test", "Result", "Reference range"],
                      ["Total calcium", "2.36 mmol/L", "2.20-2.60"],
                      ["Phosphate (PO<sub>4</sub>)", "1.05 mmol/L", "0.80-1.50"],
                      ["Parathyroid hormone", "4.1 pmol/L", "1.6-6.9"],
                      ["25-hydroxyvitamin D", "71 nmol/L", "50-125"],
                      ["Alkaline phosphatase", "68 U/L", "30-130"],
                      ["Creatinine", "64 \u00b5mol/L", "45-90"]]},
            "On the basis of the procedural history, normal mineral metabolism and the imaging appearances, "
            "we diagnosed iatrogenic calcinosis cutis of dystrophic type. We recommended a course of "
            "intralesional sodium thiosulfate, but the patient declined treatment because the nodules did "
            "not trouble her. Surgical excision of the largest lesions was discussed as an alternative and "
            "was also declined. At 6 months of follow-up the number and size of the nodules were unchanged, "
            "and she remained content with observation. A further review at 12 months was arranged, and "
            "she was advised to return earlier if a nodule became painful, ulcerated or discharged fluid.",
        ]),
        ("Discussion", [
            "Fat grafting injures tissue at both the donor and the recipient site. Grafted adipocytes that "
            "fail to obtain a blood supply undergo necrosis, and the resulting lipid debris can be walled off "
            "as oil cysts whose walls later calcify.[[ito2014]] This sequence explains why the nodules in our "
            "patient were subcutaneous, multiple and located exactly where fat had been placed. The long "
            "latency is notable: in a series of facial grafting complications (n = 212), calcifications "
            "were detected a median of 4 years after surgery, and only a few patients were followed beyond "
            "a decade.[[vasquez2018]]",
            "The differential diagnosis of hard facial papules includes osteoma cutis, pilomatricoma, "
            "calcified epidermoid cysts and foreign-body granulomas after hyaluronic acid or other fillers. "
            "Plain radiography distinguishes calcification from ossification poorly, whereas computed "
            "tomography shows the depth and pattern of the deposits and excludes bone involvement.[[almeida2019]] "
            "Histology remains the reference standard, but when a biopsy is declined, as here, imaging "
            "combined with a clear procedural history gives a reasonably confident diagnosis.[[brightman2017]]",
            "Ultrasound is cheap, quick and free of ionising radiation, and it is a sensible first test in "
            "the office setting. Its weakness is that strongly shadowing foci can hide deeper lesions, so the "
            "number of deposits tends to be underestimated. In our patient ultrasound identified six "
            "nodules, whereas computed tomography showed all nine and also confirmed that none was attached "
            "to the periosteum. Magnetic resonance imaging adds little for calcified lesions, because calcium "
            "gives low signal on all sequences and can be mistaken for fibrosis or haemosiderin.",
            {"kind": "table", "widths": [0.3, 0.16, 0.18, 0.36],
             "caption": "Previously described patients with calcified nodules after facial fat grafting, "
                        "compared with the present case.",
             "rows": [["Source", "Age/sex", "Latency", "Management"],
                      ["Vasquez-Rojas et al. 2018", "44/F", "4 years", "Excision of two nodules"],
                      ["Vasquez-Rojas et al. 2018", "39/F", "6 years", "Observation"],
                      ["Ito and Farrell 2014", "57/F", "8 years", "Observation"],
                      ["Almeida and Kovac 2019", "48/M", "3 years", "Intralesional steroid, no change"],
                      ["Present case", "52/F", "12 years", "Observation (treatment declined)"]]},
            "Treatment of localised calcinosis cutis is difficult and evidence is limited to case series. "
            "Intralesional and topical sodium thiosulfate, oral diltiazem, bisphosphonates and surgical "
            "removal have all been tried.[[nguyen2020,oyelaran2015,balogun2017]] Thiosulfate probably "
            "acts by forming soluble calcium thiosulfate complexes and by antioxidant effects on the "
            "surrounding tissue.[[nguyen2020,oyelaran2015]] In one open-label series of intralesional "
            "injections, about half of the lesions became smaller after several sessions.[[nguyen2020]] "
            "Bisphosphonates have been used mainly in the calciphylaxis setting.[[tran2018]] For "
            "asymptomatic facial deposits, observation is a legitimate choice, and our patient's preference "
            "was respected.",
            "Prevention deserves a comment. Injecting fat in small aliquots, spreading it in many thin "
            "tunnels and avoiding over-correction reduce the volume of graft that outgrows its blood "
            "supply, and so reduce fat necrosis.[[vasquez2018]] Patients should be told before grafting that "
            "firm lumps can develop, sometimes many years later, and that these are usually harmless. Our "
            "report has the obvious limitation that the diagnosis was not confirmed histologically; however, "
            "the imaging features were characteristic and the course over 6 months was benign.",
        ]),
        ("Conclusion", [
            "Iatrogenic calcinosis cutis can appear many years after autologous fat grafting. Asking about "
            "previous cosmetic procedures, and using ultrasound or computed tomography, allows the diagnosis "
            "to be made even when a biopsy is declined.",
        ]),
    ],
    "back": [("Funding", "None."),
             ("Conflicts of interest", "The authors declare that they have no conflicts of interest."),
             ("Acknowledgements", "We thank the patient for permission to publish this report and the staff of "
                                  "the radiology department for their help with image review."),
             ("Consent", "Written informed consent was obtained from the patient.")],
    "case": {
        "condition": "calcinosis cutis", "subtype": "iatrogenic calcinosis cutis",
        "subtype_also": ["dystrophic calcinosis cutis"],
        "differentials": ["osteoma cutis", "pilomatricoma", "foreign-body granuloma"],
        "patient": {"age_years": 52, "age_text": "52-year-old", "sex": "female", "comorbidities": []},
        "causes": [{"cause": "autologous fat grafting", "cause_kind": "procedure", "effect": "calcinosis cutis",
                    "text": "autologous fat grafting to the malar region"}],
        "imaging": ["ultrasound", "X-ray", "computed tomography"],
        "biopsy": "declined",
        "treatments": [
            {"treatment": "sodium thiosulfate", "text": "intralesional sodium thiosulfate", "kind": "drug",
             "route": "intralesional", "status": "declined", "dose": None, "frequency": None, "sessions": None,
             "outcome": None, "response_pct": None},
            {"treatment": "surgical excision", "text": "Surgical excision of the largest lesions", "kind": "procedure",
             "status": "declined", "dose": None, "frequency": None, "sessions": None, "outcome": None,
             "response_pct": None},
        ],
        "outcome": "unchanged",
        "timings": [
            {"text": "about 3 years earlier", "type": "DURATION", "value": "P3Y", "mod": "APPROX",
             "event_kind": "onset"},
            {"text": "Twelve years earlier", "type": "DURATION", "value": "P12Y", "mod": None, "event_kind": "exposure"},
            {"text": "48-72 hours", "type": "DURATION", "value": "PT48H/PT72H", "value_min": "PT48H",
             "value_max": "PT72H", "mod": None, "event_kind": "other"},
            {"text": "6 months", "type": "DURATION", "value": "P6M", "mod": None, "event_kind": "follow_up"},
        ],
    },
}
