"""Report 5: carbamazepine DRESS that recurred during the corticosteroid taper."""

ARTICLE = {
    "stem": "dress_carbamazepine_2023", "publisher": "halden", "layout": "two", "cite_style": "super",
    "article_type": "Case Report",
    "title": "Relapse of carbamazepine-induced drug reaction with eosinophilia and systemic symptoms "
             "during corticosteroid tapering",
    "authors": [("Henrik", "Aalto", "H", [1]), ("Nadia", "Qureshi", "N", [1, 2]),
                ("Emeka", "Nwosu", "E", [3]), ("Claire", "Duval", "C", [1])],
    "corresponding": 1, "email": "nqureshi@ashgrove-skin.example.org",
    "affiliations": ["Department of Dermatology, Ashgrove Royal Infirmary, Ashgrove, Westmere",
                     "Drug Allergy Clinic, Westmere University Hospitals, Ashgrove, Westmere",
                     "Department of Acute Medicine, Ashgrove Royal Infirmary, Ashgrove, Westmere"],
    "received": "17 November 2022", "accepted": "6 February 2023",
    "year": 2023, "volume": 10, "issue": 1, "first_page": 18, "doi": "10.5555/cdci.2023.0018",
    "keywords": ["DRESS", "carbamazepine", "eosinophilia", "corticosteroids", "relapse", "ciclosporin"],
    "abstract": [
        ("", "Drug reaction with eosinophilia and systemic symptoms (DRESS) is a severe delayed "
             "hypersensitivity reaction with a tendency to relapse. A 34-year-old man developed fever, a "
             "widespread morbilliform eruption, facial oedema, eosinophilia and hepatitis 5 weeks after "
             "starting carbamazepine for trigeminal neuralgia. Carbamazepine was withdrawn and oral "
             "prednisolone 1 mg/kg/day produced a rapid improvement. During a 4-week taper the rash and "
             "eosinophilia recurred, together with reactivation of human herpesvirus 6. Prednisolone was "
             "increased again and ciclosporin was added for 3 weeks, after which the reaction resolved. "
             "A slower taper should be planned in patients with DRESS."),
    ],
    "sections": [
        ("Introduction", [
            "Drug reaction with eosinophilia and systemic symptoms (DRESS) typically begins 2 to 8 weeks "
            "after a new drug is started, and combines a widespread rash, fever, lymph&shy;adenopathy, "
            "haematological abnormalities and involvement of internal organs, most often the liver.[[kardos2019]] "
            "Aromatic anticonvulsants, allopurinol, sulfonamides and some antibiotics are the usual "
            "culprits, and carriage of certain HLA alleles increases the risk.[[chua2018]]",
            "The course of DRESS is frequently prolonged, with flares after an initial improvement. "
            "Reactivation of herpesviruses, especially human herpesvirus 6 (HHV-6), has been linked to "
            "these relapses and to a worse outcome.[[ahn2014]] Relapse is particularly common when "
            "systemic corticosteroids are withdrawn quickly.[[moreno2016]] We describe a patient whose "
            "reaction recurred during tapering and who was treated with a combination of corticosteroids "
            "and ciclosporin.",
        ]),
        ("Case report", [
            "A 34-year-old man was started on carbamazepine 200 mg twice daily for trigeminal neuralgia. "
            "Five weeks later he presented to the emergency department with 3 days of fever up to 39.4 "
            "&#176;C, an itchy eruption that had spread from the trunk to the limbs, and swelling of the "
            "face. He took no other medicines and had no known drug allergies.",
            "Examination showed a confluent morbilliform erythema covering about 70% of the body surface "
            "area, marked facial oedema, scattered pustules on the neck, and tender cervical and inguinal "
            "lymph nodes. Mucous membranes were spared, and there was no blistering or skin detachment. "
            "Blood tests showed a leucocytosis with eosinophils of 3.2 &#215; 10<super>9</super>/L and "
            "atypical lymphocytes on the blood film; alanine aminotransferase was 412 U/L (about ten "
            "times the upper limit of normal). Renal function, urinalysis and chest X-ray were normal "
            "(Table 1).",
            {"kind": "table", "widths": [0.42, 0.19, 0.19, 0.2],
             "caption": "Laboratory values at admission, at the relapse and at recovery.",
             "rows": [["Test", "Day 1", "Day 24", "Week 12"],
                      ["Eosinophils (&#215; 10<super>9</super>/L)", "3.2", "2.1", "0.2"],
                      ["ALT (U/L)", "412", "236", "28"],
                      ["C-reactive protein (mg/L)", "88", "41", "3"],
                      ["HHV-6 DNA (copies/mL)", "not detected", "18 400", "not detected"],
                      ["Creatinine (\u00b5mol/L)", "71", "76", "74"]]},
            "A skin biopsy showed spongiosis, interface change with scattered necrotic keratinocytes, and a "
            "perivascular infiltrate containing eosinophils, consistent with a drug reaction.[[brightman2017]] "
            "His RegiSCAR score was 6, indicating definite DRESS.[[kardos2019]] Carbamazepine was stopped "
            "on admission and gabapentin was substituted for the neuralgia.",
            "He was treated with oral prednisolone 1 mg/kg/day (80 mg daily), a potent topical "
            "corticosteroid and emollients. The fever settled within 48 hours, and over the first 10 days "
            "the rash faded and the eosinophil count and liver enzymes fell. He was discharged on day 12 "
            "with a plan to reduce prednisolone over 4 weeks.",
            {"kind": "figure", "draw": "timeline",
             "args": [[("Week 0", "carbamazepine"), ("Week 5", "admission"), ("Day 12", "discharge"),
                       ("Day 24", "relapse"), ("Week 8", "ciclosporin stop"), ("Week 12", "recovered")]],
             "caption": "Course of the reaction. Days are counted from admission; the relapse occurred "
                        "when the prednisolone dose reached 20 mg daily."},
            "On day 24, when the dose had been reduced to 20 mg daily, the eruption recurred on the trunk "
            "and thighs, accompanied by low-grade fever and a rise in eosinophils to 2.1 &#215; 10<super>9</super>/L "
            "and in alanine aminotransferase to 236 U/L. Polymerase chain reaction testing of the blood "
            "detected HHV-6 DNA, which had been negative on admission.[[ahn2014]] He had not been "
            "re-exposed to carbamazepine or to any new drug.",
            "Prednisolone was increased to 0.5 mg/kg/day, and ciclosporin 3 mg/kg/day in two divided doses "
            "was added for 3 weeks to allow a faster reduction of the steroid.[[abara2015,weiss2021]] "
            "Antiviral therapy was considered for the HHV-6 reactivation but was not started, as his organ "
            "function was improving. The rash cleared within 10 days of the change in treatment, and the "
            "laboratory values had normalised by week 12. Prednisolone was then tapered slowly over 3 "
            "months without further relapse.",
            "At 6 months of follow-up he was well, with normal thyroid function and blood glucose. "
            "Patch testing was not performed; he was advised to avoid carbamazepine and other aromatic "
            "anticonvulsants, and a drug alert was added to his records.[[chua2018]]",
        ]),
        ("Discussion", [
            "Our patient's presentation was typical in its latency, with symptoms beginning 5 weeks after "
            "carbamazepine was introduced, and in the combination of rash, fever, eosinophilia, atypical "
            "lymphocytes and hepatitis. Scoring systems such as RegiSCAR help to separate DRESS from "
            "other drug eruptions and from viral exanthems, and they are useful when the clinical picture "
            "is incomplete.[[kardos2019~2]]",
            "Relapse during corticosteroid tapering is reported in a substantial proportion of patients, "
            "and a short taper of less than 4 weeks appears to be a risk factor.[[moreno2016]] In a "
            "retrospective series (n = 64), relapses were more common in patients with HHV-6 reactivation "
            "and were usually controlled by increasing the steroid dose again.[[ahn2014]] Whether viral "
            "reactivation causes the flare or merely reflects the degree of immune dysregulation is not "
            "settled.",
            "The differential diagnosis at presentation included acute generalised exanthematous "
            "pustulosis, because of the pustules on the neck, and an early Stevens-Johnson syndrome. The "
            "absence of mucosal involvement and skin detachment, the long latency, the marked eosinophilia "
            "and the hepatitis all favoured DRESS. A viral exanthem was considered less likely because "
            "the eruption began while the patient was taking a high-risk drug and improved rapidly once it "
            "was withdrawn.",
            "Ciclosporin has been used both as first-line treatment of DRESS and as a steroid-sparing agent "
            "in relapsing cases. Its inhibition of T-cell activation is attractive in a disease driven by "
            "drug-specific T cells, and short courses are generally well tolerated.[[weiss2021]] Evidence "
            "for ciclosporin in other neutrophilic and inflammatory dermatoses supports its safety at the "
            "doses used here.[[abara2015]]",
            "Long-term follow-up is advisable because autoimmune diseases, particularly thyroiditis and "
            "type 1 diabetes, may develop months after DRESS has resolved.[[nilsen2022]] Screening for the "
            "HLA-A*31:01 allele before prescribing carbamazepine is recommended in some populations, "
            "although it would not have been routine for our patient.[[chua2018]]",
            "Finally, the management of the relapse deserves comment. Some clinicians treat every flare "
            "with a return to the initial steroid dose, which prolongs exposure to high doses and their "
            "side effects. In our patient a moderate increase combined with a short course of ciclosporin "
            "controlled the recurrence and allowed the total steroid dose to be kept lower than a second "
            "full course would have required. Intravenous immuno&shy;globulin and antiviral drugs are "
            "options for severe or refractory cases, but their benefit has not been established in "
            "controlled studies.[[weiss2021]] A written plan for the taper, shared with the patient and the "
            "general practitioner, may also reduce the risk of premature withdrawal after discharge.",
        ]),
        ("Conclusion", [
            "DRESS commonly relapses when corticosteroids are reduced too quickly, sometimes together with "
            "HHV-6 reactivation. A taper lasting several months and, where needed, the addition of "
            "ciclosporin can help to control a recurrence.",
        ]),
    ],
    "back": [("Acknowledgements", "We thank the ward pharmacists for their help with the drug history."),
             ("Funding", "None."),
             ("Conflicts of interest", "The authors have no conflicts of interest to declare.")],
    "case": {
        "condition": "drug reaction with eosinophilia and systemic symptoms", "subtype": "DRESS",
        "subtype_also": [], "differentials": ["viral exanthem"],
        "patient": {"age_years": 34, "age_text": "34-year-old", "sex": "male",
                    "comorbidities": ["trigeminal neuralgia"]},
        "causes": [{"cause": "carbamazepine", "cause_kind": "drug",
                    "effect": "drug reaction with eosinophilia and systemic symptoms",
                    "text": "carbamazepine-induced drug reaction"}],
        "imaging": ["X-ray"], "biopsy": "performed",
        "treatments": [
            {"treatment": "carbamazepine discontinuation", "text": "Carbamazepine was stopped", "kind": "other",
             "status": "given", "dose": None, "frequency": None, "sessions": None, "outcome": "improved",
             "response_pct": None},
            {"treatment": "prednisolone", "text": "oral prednisolone 1 mg/kg/day", "kind": "drug", "route": "oral",
             "status": "given", "dose": "1 mg/kg/day", "frequency": "daily", "frequency_iso": "R/P1D",
             "sessions": None, "outcome": "recurred", "response_pct": None},
            {"treatment": "ciclosporin", "text": "ciclosporin 3 mg/kg/day", "kind": "drug", "route": "oral",
             "status": "given", "dose": "3 mg/kg/day", "frequency": "two divided doses", "duration": "P3W",
             "sessions": None, "outcome": "resolved", "response_pct": None},
            {"treatment": "antiviral therapy", "text": "Antiviral therapy was considered", "kind": "drug",
             "status": "considered", "dose": None, "frequency": None, "sessions": None, "outcome": None,
             "response_pct": None},
            {"treatment": "carbamazepine", "text": "carbamazepine 200 mg twice daily", "kind": "drug",
             "route": "oral", "status": "given", "dose": "200 mg", "frequency": "twice daily",
             "frequency_iso": "R/P1D", "freq": "2X", "sessions": None, "outcome": None, "response_pct": None,
             "role": "cause"},
        ],
        "outcome": "resolved",
        "timings": [
            {"text": "Five weeks later", "type": "DURATION", "value": "P5W", "mod": None, "event_kind": "onset"},
            {"text": "within 48 hours", "type": "DURATION", "value": "PT48H", "mod": "LESS_THAN_OR_EQUAL",
             "event_kind": "treatment"},
            {"text": "On day 24", "type": "DURATION", "value": "P24D", "mod": None, "event_kind": "other"},
            {"text": "for 3 weeks", "type": "DURATION", "value": "P3W", "mod": None, "event_kind": "treatment"},
            {"text": "within 10 days", "type": "DURATION", "value": "P10D", "mod": "LESS_THAN_OR_EQUAL",
             "event_kind": "resolution"},
            {"text": "over 3 months", "type": "DURATION", "value": "P3M", "mod": None, "event_kind": "treatment"},
            {"text": "6 months of follow-up", "type": "DURATION", "value": "P6M", "mod": None,
             "event_kind": "follow_up"},
        ],
    },
}
