"""Report 4: pyoderma gangrenosum worsened by debridement, healed with ciclosporin."""

ARTICLE = {
    "stem": "pyoderma_ciclosporin_2022", "publisher": "halden", "layout": "two", "cite_style": "bracket",
    "article_type": "Case Report",
    "title": "Pyoderma gangrenosum of the shin misread as a wound infection: pathergy after debridement "
             "and healing with ciclosporin",
    "authors": [("Rebecca", "Thornbury", "R", [1]), ("Samir", "Haddad", "S", [1]),
                ("Lucia", "Ferreyra", "L", [2]), ("Jonas", "Weber", "J", [1, 3])],
    "corresponding": 0, "email": "rthornbury@ashgrove-skin.example.org",
    "affiliations": ["Department of Dermatology, Ashgrove Royal Infirmary, Ashgrove, Westmere",
                     "Department of Histopathology, Ashgrove Royal Infirmary, Ashgrove, Westmere",
                     "Inflammatory Bowel Disease Service, Westmere University Hospitals, Ashgrove, Westmere"],
    "received": "2 August 2022", "accepted": "10 October 2022",
    "year": 2022, "volume": 9, "issue": 4, "first_page": 212, "doi": "10.5555/cdci.2022.0212",
    "keywords": ["pyoderma gangrenosum", "pathergy", "ciclosporin", "ulcerative colitis", "debridement"],
    "abstract": [
        ("Introduction", "Pyoderma gangrenosum is a neutrophilic dermatosis that is frequently mistaken for "
                         "infection, and surgery can make it worse."),
        ("Case presentation", "A 47-year-old woman with ulcerative colitis developed a rapidly enlarging ulcer "
                              "on the right shin after minor trauma. Oral antibiotics had no effect, and "
                              "surgical debridement was followed by doubling of the ulcer within 5 days. "
                              "Biopsy showed a dense neutrophilic infiltrate without organisms. Prednisolone "
                              "gave a partial response and caused hyperglycaemia; ciclosporin 4 mg/kg/day was "
                              "added, and the ulcer healed completely by 14 weeks."),
        ("Conclusion", "Pyoderma gangrenosum should be considered in any painful, rapidly progressing ulcer "
                       "in a patient with inflammatory bowel disease, before surgery is performed."),
    ],
    "sections": [
        ("Introduction", [
            "Pyoderma gangrenosum (PG) is an uncommon inflammatory skin disease in which painful "
            "ulcers with undermined violaceous borders develop, often at sites of minor injury [[ferreira2018]]. "
            "About half of patients have an associated systemic disease, most commonly inflammatory bowel "
            "disease, inflammatory arthritis or a haematological disorder [[kowal2017]]. Because there is no "
            "specific laboratory test, the diagnosis rests on clinical features, exclusion of infection and "
            "malignancy, and a compatible biopsy.",
            "A characteristic feature of PG is pathergy: new lesions or enlargement of existing ones after "
            "trauma, including surgery. Debridement, skin grafting and even biopsy can trigger rapid "
            "progression [[lund2020]]. Systemic corticosteroids and ciclosporin are the best studied "
            "treatments, with similar healing rates in a randomised comparison [[abara2015]]; biologics, "
            "topical calcineurin inhibitors and wound care have supporting roles [[kowal2017, weiss2021, renner2019, dewitt2019]]. "
            "We report a patient in whom early misdiagnosis led to surgical debridement and marked worsening.",
        ]),
        ("Case presentation", [
            "A 47-year-old woman knocked her right shin against a car door and noticed a small tender "
            "pustule at the site a few days later. Over the next 3 weeks it broke down into an ulcer that "
            "enlarged quickly and became very painful. She had a 9-year history of ulcerative colitis, "
            "controlled with oral mesalazine, and had had a mild flare of diarrhoea 2 months earlier. "
            "She was otherwise well, a non-smoker, and took no other regular medication.",
            "Her general practitioner diagnosed an infected traumatic wound and prescribed oral "
            "flucloxacillin 500 mg four times daily for 7 days, without any improvement. She was then "
            "referred to the general surgical team, who performed sharp surgical debridement of the ulcer "
            "under local anaesthesia. Within 5 days the ulcer had doubled in size, from 3.5 by 3 cm to "
            "7 by 5.5 cm, and two satellite pustules had appeared at the wound edge. At this point she was "
            "referred to our department.",
            "On examination there was a deep ulcer on the right anterior shin with a purulent, necrotic "
            "base and a raised, undermined, dusky violaceous border (Figure 1). The surrounding skin was "
            "erythematous and tender. There was no lymphangitis and no lymph&shy;adenopathy. Pedal pulses "
            "were present and the ankle-brachial pressure index was 1.05, excluding significant arterial "
            "disease.",
            "Full blood count showed a neutrophilia of 11.2 &#215; 10<super>9</super>/L, and C-reactive "
            "protein was 46 mg/L. Renal and liver function were normal. Swabs and tissue cultures grew only "
            "scanty skin flora, and mycobacterial and fungal cultures were negative. An incisional biopsy "
            "from the active edge, taken with care and under cover of treatment, showed a dense dermal "
            "neutrophilic infiltrate with leukocyto&shy;clastic debris and no vasculitis, granulomas, "
            "organisms or malignancy [[brightman2017]]. The clinical and histological findings satisfied "
            "published diagnostic criteria for PG [[ferreira2018]].",
            {"kind": "figure", "draw": "timeline",
             "args": [[("Day 0", "knock to shin"), ("Week 3", "antibiotics"), ("Week 4", "debridement"),
                       ("Week 5", "prednisolone"), ("Week 7", "ciclosporin"), ("Week 21", "healed")]],
             "caption": "Timeline of the illness. Weeks are counted from the injury; the ulcer doubled in size "
                        "within 5 days of debridement."},
            "She was started on oral prednisolone 0.5 mg/kg/day (40 mg daily) with daily non-adherent "
            "dressings and compression was avoided. Pain improved and the border became less active, but "
            "after 2 weeks the ulcer was only slightly smaller and she had developed steroid-induced "
            "hyperglycaemia requiring metformin. Ciclosporin was therefore added at 4 mg/kg/day in two "
            "divided doses, and prednisolone was tapered by 5 mg every week. Topical tacrolimus 0.1% "
            "ointment was applied twice daily to the ulcer margin. Blood pressure and serum creatinine were "
            "checked every 2 weeks and remained stable.",
            {"kind": "table", "widths": [0.22, 0.28, 0.5],
             "caption": "Ulcer size and treatment at successive visits.",
             "rows": [["Visit", "Ulcer size", "Treatment"],
                      ["Week 3", "3.5 \u00d7 3 cm", "Oral flucloxacillin"],
                      ["Week 4", "7 \u00d7 5.5 cm", "After surgical debridement"],
                      ["Week 7", "6.5 \u00d7 5 cm", "Prednisolone; ciclosporin started"],
                      ["Week 13", "3 \u00d7 2.5 cm", "Ciclosporin; prednisolone stopped"],
                      ["Week 21", "healed", "Ciclosporin taper"]]},
            "After 6 weeks of ciclosporin the ulcer was about 60% smaller, with healthy granulation tissue "
            "and an advancing epithelial edge. Prednisolone was stopped at week 12. The ulcer had healed "
            "completely by 14 weeks after ciclosporin was started, leaving a thin cribriform scar. "
            "Split-skin grafting had been discussed while the ulcer was large, but it was judged "
            "unnecessary. Ciclosporin was tapered and stopped over 2 months. At the 6-month follow-up "
            "there was no recurrence, and her colitis remained quiet on mesalazine.",
        ]),
        ("Discussion", [
            "This case illustrates the most common pitfall in PG: an ulcer that follows trauma and has a "
            "purulent base is assumed to be infected, and when antibiotics fail, surgery is offered. In a "
            "series of patients whose PG was initially misdiagnosed, more than a third underwent "
            "debridement, and most of them deteriorated afterwards [[lund2020]]. The history of "
            "ulcerative colitis, the severe pain out of proportion to the appearance, the undermined "
            "violaceous edge and the rapid progression after surgery should all have prompted the diagnosis "
            "earlier.",
            "The choice between prednisolone and ciclosporin is guided by comorbidities. In the only "
            "randomised comparison (n = 121), healing rates at 6 months were similar, but adverse effects "
            "differed: infections and hyperglycaemia were more frequent with prednisolone, whereas "
            "hypertension and renal impairment occurred with ciclosporin [[abara2015]]. Combination "
            "therapy, as used here, allows a faster steroid taper. Tumour necrosis factor inhibitors are "
            "attractive when PG accompanies active inflammatory bowel disease, and steroid-sparing agents "
            "are reviewed elsewhere [[weiss2021]].",
            "Local treatment matters as well. Potent topical corticosteroids or tacrolimus applied to the "
            "active edge can speed healing of small ulcers and reduce systemic drug exposure [[renner2019]]. "
            "Wound care should be gentle, avoiding sharp debridement and tight compression during the active "
            "phase; once inflammation is controlled, grafting can be performed safely if needed [[dewitt2019]]. "
            "When a biopsy is required to exclude infection or malignancy, it should be taken from the "
            "edge with minimal trauma, ideally after treatment has started [[brightman2017]].",
            "Recurrence is common after PG heals, particularly when the associated disease flares, and "
            "patients should be advised to seek review early if a new painful pustule appears [[kowal2017]]. "
            "Surgical procedures in patients with a history of PG should be planned with perioperative "
            "immuno&shy;suppression where possible [[stein2020]].",
        ]),
        ("Conclusion", [
            "Pyoderma gangrenosum should be suspected before any surgical intervention on a rapidly "
            "enlarging painful ulcer, especially in a patient with inflammatory bowel disease. Ciclosporin "
            "is an effective option when corticosteroids are poorly tolerated.",
        ]),
    ],
    "back": [("Acknowledgements", "The authors thank the tissue viability nurses for dressing the wound and "
                                  "recording its size at each visit."),
             ("Funding", "No funding was received for this work."),
             ("Conflicts of interest", "J.W. has received consulting fees unrelated to this report. The other "
                                       "authors declare no conflicts of interest."),
             ("Patient consent", "Obtained in writing.")],
    "case": {
        "condition": "pyoderma gangrenosum", "subtype": "ulcerative pyoderma gangrenosum", "subtype_also": [],
        "differentials": ["wound infection"],
        "patient": {"age_years": 47, "age_text": "47-year-old", "sex": "female",
                    "comorbidities": ["ulcerative colitis"]},
        "causes": [{"cause": "minor trauma", "cause_kind": "injury", "effect": "pyoderma gangrenosum",
                    "text": "knocked her right shin against a car door"},
                   {"cause": "surgical debridement", "cause_kind": "procedure",
                    "effect": "pyoderma gangrenosum worsening", "text": "sharp surgical debridement"}],
        "imaging": [], "biopsy": "performed",
        "treatments": [
            {"treatment": "flucloxacillin", "text": "oral flucloxacillin 500 mg four times daily for 7 days",
             "kind": "drug", "route": "oral", "status": "given", "dose": "500 mg", "frequency": "four times daily",
             "frequency_iso": "R/P1D", "freq": "4X", "duration": "P7D", "sessions": None, "outcome": "unchanged",
             "response_pct": None},
            {"treatment": "surgical debridement", "text": "sharp surgical debridement", "kind": "procedure",
             "status": "given", "dose": None, "frequency": None, "sessions": 1, "outcome": "worsened",
             "response_pct": None},
            {"treatment": "prednisolone", "text": "oral prednisolone 0.5 mg/kg/day", "kind": "drug",
             "route": "oral", "status": "given", "dose": "0.5 mg/kg/day", "frequency": "daily",
             "frequency_iso": "R/P1D", "sessions": None, "outcome": "improved", "response_pct": None},
            {"treatment": "ciclosporin", "text": "Ciclosporin was therefore added at 4 mg/kg/day", "kind": "drug",
             "route": "oral", "status": "given", "dose": "4 mg/kg/day", "frequency": "two divided doses",
             "sessions": None, "outcome": "resolved", "response_pct": 60, "response_time": "P6W"},
            {"treatment": "tacrolimus", "text": "Topical tacrolimus 0.1% ointment", "kind": "drug",
             "route": "topical", "status": "given", "dose": "0.1%", "frequency": "twice daily",
             "frequency_iso": "R/P1D", "sessions": None, "outcome": "resolved", "response_pct": None},
            {"treatment": "skin grafting", "text": "Split-skin grafting had been discussed", "kind": "procedure",
             "status": "considered", "dose": None, "frequency": None, "sessions": None, "outcome": None,
             "response_pct": None},
        ],
        "outcome": "resolved",
        "timings": [
            {"text": "Over the next 3 weeks", "type": "DURATION", "value": "P3W", "mod": None, "event_kind": "onset"},
            {"text": "9-year history", "type": "DURATION", "value": "P9Y", "mod": None, "event_kind": "other"},
            {"text": "for 7 days", "type": "DURATION", "value": "P7D", "mod": None, "event_kind": "treatment"},
            {"text": "Within 5 days", "type": "DURATION", "value": "P5D", "mod": "LESS_THAN_OR_EQUAL",
             "event_kind": "other"},
            {"text": "After 6 weeks of ciclosporin", "type": "DURATION", "value": "P6W", "mod": None,
             "event_kind": "treatment"},
            {"text": "by 14 weeks", "type": "DURATION", "value": "P14W", "mod": "END", "event_kind": "resolution"},
            {"text": "over 2 months", "type": "DURATION", "value": "P2M", "mod": None, "event_kind": "treatment"},
            {"text": "6-month follow-up", "type": "DURATION", "value": "P6M", "mod": None, "event_kind": "follow_up"},
        ],
    },
}
