"""Report 6: Mycobacterium abscessus abscesses after mesotherapy, recurring after drainage."""

ARTICLE = {
    "stem": "mycobacterium_mesotherapy_2024", "publisher": "meridian", "layout": "two", "cite_style": "super",
    "article_type": "Case Report",
    "title": "Recurrent thigh abscesses after cosmetic mesotherapy: cutaneous Mycobacterium abscessus "
             "infection cured by combined antibiotics and surgical excision",
    "authors": [("Elena", "Vasilescu", "E", [1]), ("Marcus", "Oyelowo", "M", [2]),
                ("Yuki", "Takahashi", "Y", [1]), ("Patrick", "Donnelly", "P", [3]),
                ("Amira", "Saleh", "A", [2])],
    "corresponding": 0, "email": "e.vasilescu@corriemoor-hospital.example.org",
    "affiliations": ["Department of Dermatology, Corriemoor District Hospital, Corriemoor, Norland",
                     "Department of Infectious Diseases, Corriemoor District Hospital, Corriemoor, Norland",
                     "Department of Plastic Surgery, Eastbridge Regional Centre, Eastbridge, Norland"],
    "received": "28 September 2023", "accepted": "15 December 2023",
    "year": 2024, "volume": 17, "issue": 1, "first_page": 12, "doi": "10.5555/jccr.2024.0012",
    "keywords": ["nontuberculous mycobacteria", "Mycobacterium abscessus", "mesotherapy",
                 "cosmetic procedure", "surgical excision"],
    "abstract": [
        ("", "Rapidly growing mycobacteria can infect the skin after cosmetic injections, and the diagnosis "
             "is often delayed because routine cultures are negative. A 41-year-old woman developed painful "
             "nodules and abscesses on both thighs 6 weeks after mesotherapy at a beauty salon. Empirical "
             "flucloxacillin was ineffective, and the largest abscess recurred within 2 weeks of incision and "
             "drainage. Mycobacterial culture grew <i>Mycobacterium abscessus</i>. She received clarithromycin for "
             "6 months with intravenous amikacin for the first 6 weeks, and a persistent nodule was excised. "
             "All lesions healed, with no recurrence at 12 months. Clinicians should ask about cosmetic "
             "injections and request mycobacterial cultures for abscesses that do not respond to standard "
             "treatment."),
    ],
    "sections": [
        ("Introduction", [
            "Nontuberculous mycobacteria are environmental organisms found in soil and water, including "
            "treated tap water. The rapidly growing species, such as <i>Mycobacterium abscessus</i>, <i>M. chelonae</i> "
            "and <i>M. fortuitum</i>, are a well-known cause of skin and soft-tissue infection after surgery, "
            "tattooing and cosmetic injections.[[lopes2017]] Outbreaks have been traced to contaminated "
            "injectable solutions, inadequately sterilised equipment and non-sterile rinsing water.",
            "Mesotherapy, in which small volumes of drugs, vitamins or plant extracts are injected into "
            "the subcutaneous fat, is often performed outside medical settings. Its reported complications "
            "range from bruising and panniculitis to calcified nodules and infection.[[vasquez2018,almeida2019,corpus:cc_fat_grafting_2021]] "
            "Because <i>M. abscessus</i> is resistant to many antibiotics and grows slowly in the laboratory, "
            "infections are commonly treated as ordinary bacterial abscesses for weeks before the "
            "correct diagnosis is made.[[park2016]]",
        ]),
        ("Case report", [
            "A 41-year-old woman attended the dermatology clinic with painful lumps on both thighs. "
            "Eight weeks earlier she had received a course of mesotherapy injections for cellulite at a "
            "beauty salon abroad. About 6 weeks after the procedure, several firm red nodules appeared at "
            "the injection sites and some of them became fluctuant. She had no fever and was otherwise "
            "healthy, with no immuno&shy;suppressive conditions or medications.",
            "Her general practitioner had prescribed oral flucloxacillin 500 mg four times daily for "
            "10 days, without any effect; two new nodules developed while she was taking it. The largest "
            "abscess, on the left lateral thigh, was then treated by incision and drainage in a minor "
            "surgery unit. Routine bacterial culture of the pus was reported as negative after 48 hours. "
            "The abscess recurred within 2 weeks of drainage, with a discharging sinus at the incision site.",
            "On examination there were eleven erythematous to violaceous nodules, 1 to 3 cm across, on "
            "the anterior and lateral thighs, three of them fluctuant and one with a draining sinus "
            "(Figure 1). There was no lymphadenopathy. Blood tests showed a C-reactive protein of 18 mg/L "
            "with a normal white cell count; an HIV test was negative. Ultrasound showed several "
            "hypoechoic collections in the subcutaneous fat, the largest measuring 24 mm, with surrounding "
            "inflammatory change and no involvement of the fascia.",
            {"kind": "figure", "draw": "limb", "args": ["discharging sinus"],
             "caption": "Diagram of the left lateral thigh showing the abscess that recurred after "
                        "incision and drainage, with a discharging sinus at the incision site."},
            "Fluid aspirated from an unopened nodule was sent for mycobacterial culture and a punch biopsy "
            "was taken from another. Histology showed suppurative granulomatous inflammation in the "
            "subcutis, and a few acid-fast bacilli were seen with the Ziehl-Neelsen stain. The mycobacterial "
            "culture became positive after 5 days and the isolate was identified as <i>Mycobacterium abscessus</i> "
            "subspecies abscessus by molecular methods.[[park2016]] Susceptibility testing showed "
            "sensitivity to amikacin and clarithromycin, with no inducible macrolide resistance gene "
            "activity detected after 14 days of incubation.",
            {"kind": "table", "widths": [0.32, 0.3, 0.38],
             "caption": "Treatments given and their outcome.",
             "rows": [["Treatment", "Duration", "Outcome"],
                      ["Oral flucloxacillin", "10 days", "No response; new nodules"],
                      ["Incision and drainage", "single procedure", "Recurrence within 2 weeks"],
                      ["Intravenous amikacin", "6 weeks", "Nodules smaller, drainage stopped"],
                      ["Oral clarithromycin", "6 months", "Gradual healing"],
                      ["Surgical excision", "single procedure", "Healed; no recurrence at 12 months"]]},
            "She was treated with oral clarithromycin 500 mg twice daily together with intravenous "
            "amikacin 15 mg/kg three times weekly, given through a peripherally inserted central catheter "
            "by the outpatient antibiotic team.[[gupta2019]] Audiometry and renal function were checked "
            "every 2 weeks.[[oduya2021]] After 6 weeks the fluctuant lesions had flattened and drainage "
            "had stopped, and amikacin was discontinued. Clarithromycin was continued alone.",
            "One nodule on the left thigh, at the site of the earlier drainage, persisted as a firm 2 cm "
            "lump with an overlying sinus. After 3 months of therapy it was removed by complete surgical "
            "excision with primary closure.[[stein2020]] The excised tissue was culture-negative. "
            "Clarithromycin was stopped after a total of 6 months. All lesions healed, leaving "
            "small hyper&shy;pigmented scars, and there was no recurrence at 12 months of follow-up.",
        ]),
        ("Discussion", [
            "This case shows the typical features of a cosmetic-procedure-related mycobacterial "
            "infection: multiple lesions confined to the injection sites, a delay of several weeks between "
            "exposure and onset, failure of antibiotics aimed at staphylococci, and recurrence after simple "
            "drainage. In an outbreak investigation (n = 34), the median interval from injection to onset "
            "was 5 weeks, and most patients had received at least one course of ineffective "
            "antibiotics.[[lopes2017]]",
            "Diagnosis depends on thinking of the organism. Routine bacterial cultures are usually "
            "negative or discarded before rapidly growing mycobacteria appear, and the laboratory must be "
            "asked specifically for mycobacterial culture of pus or tissue.[[park2016]] Histology can support "
            "the diagnosis, but acid-fast bacilli are often scanty. Molecular identification to the "
            "subspecies level matters, because subspecies with a functional inducible macrolide resistance "
            "gene may appear susceptible to clarithromycin at first and then fail treatment.[[park2016]]",
            "<i>M. abscessus</i> is one of the most drug-resistant mycobacteria. For localised skin infection, "
            "combination therapy with a macrolide and an intravenous agent such as amikacin, cefoxitin or "
            "imipenem for the first weeks, followed by oral therapy for a total of 4 to 6 months, is "
            "commonly used.[[gupta2019]] Monotherapy risks the emergence of macrolide resistance. Amikacin "
            "causes dose-related ototoxicity and nephrotoxicity, so monitoring is needed throughout.[[oduya2021]]",
            "Surgery is an important adjunct. Incision and drainage alone frequently fails, as in our "
            "patient, whereas complete excision of persistent nodules under antibiotic cover shortens "
            "treatment and lowers the relapse rate.[[stein2020]] Careful wound care after excision helps to "
            "avoid dehiscence in infected tissue.[[dewitt2019]] Finally, cases should be reported to public "
            "health authorities, since a single contaminated source can affect many clients.[[lopes2017,vasquez2018]]",
            "Our patient had been treated abroad, and we could not trace the products that were used. "
            "Patients who travel for cosmetic procedures should be told that unregulated practitioners may "
            "not follow sterile technique, and that any lump appearing at an injection site in the weeks "
            "afterwards should be reported. For clinicians, the history of a recent cosmetic injection is "
            "the single most useful clue, and it is easily missed unless the question is asked directly. "
            "The differential diagnosis of nodules at injection sites also includes foreign-body reactions "
            "to injected material, panniculitis and, much later, calcified nodules, all of which are "
            "sterile and do not respond to antibiotics.[[almeida2019]]",
        ]),
        ("Conclusion", [
            "Skin abscesses that follow cosmetic injections and do not respond to standard antibiotics "
            "should prompt mycobacterial culture. Combined antimicrobial therapy with surgical excision of "
            "persistent lesions can cure <i>Mycobacterium abscessus</i> infection.",
        ]),
    ],
    "back": [("Funding", "None."),
             ("Conflicts of interest", "None declared."),
             ("Acknowledgements", "We are grateful to the regional mycobacterial reference laboratory for "
                                  "identifying the isolate and performing susceptibility testing.")],
    "case": {
        "condition": "nontuberculous mycobacterial skin infection", "subtype": "Mycobacterium abscessus infection",
        "subtype_also": [], "differentials": ["bacterial abscess"],
        "patient": {"age_years": 41, "age_text": "41-year-old", "sex": "female", "comorbidities": []},
        "causes": [{"cause": "mesotherapy", "cause_kind": "procedure", "effect": "Mycobacterium abscessus infection",
                    "text": "mesotherapy injections for cellulite"}],
        "imaging": ["ultrasound"], "biopsy": "performed",
        "treatments": [
            {"treatment": "flucloxacillin", "text": "oral flucloxacillin 500 mg four times daily", "kind": "drug",
             "route": "oral", "status": "given", "dose": "500 mg", "frequency": "four times daily",
             "frequency_iso": "R/P1D", "freq": "4X", "duration": "P10D", "sessions": None, "outcome": "worsened",
             "response_pct": None},
            {"treatment": "incision and drainage", "text": "incision and drainage", "kind": "procedure",
             "status": "given", "dose": None, "frequency": None, "sessions": 1, "outcome": "recurred",
             "response_pct": None},
            {"treatment": "clarithromycin", "text": "oral clarithromycin 500 mg twice daily", "kind": "drug",
             "route": "oral", "status": "given", "dose": "500 mg", "frequency": "twice daily",
             "frequency_iso": "R/P1D", "freq": "2X", "duration": "P6M", "sessions": None, "outcome": "resolved",
             "response_pct": None},
            {"treatment": "amikacin", "text": "intravenous amikacin 15 mg/kg three times weekly", "kind": "drug",
             "route": "intravenous", "status": "given", "dose": "15 mg/kg", "frequency": "three times weekly",
             "frequency_iso": "R/P1W", "freq": "3X", "duration": "P6W", "sessions": None, "outcome": "improved",
             "response_pct": None},
            {"treatment": "surgical excision", "text": "complete surgical excision", "kind": "procedure",
             "status": "given", "dose": None, "frequency": None, "sessions": 1, "outcome": "resolved",
             "response_pct": None},
        ],
        "outcome": "resolved",
        "timings": [
            {"text": "Eight weeks earlier", "type": "DURATION", "value": "P8W", "mod": None, "event_kind": "exposure"},
            {"text": "About 6 weeks after the procedure", "type": "DURATION", "value": "P6W", "mod": "APPROX",
             "event_kind": "onset"},
            {"text": "for 10 days", "type": "DURATION", "value": "P10D", "mod": None, "event_kind": "treatment"},
            {"text": "within 2 weeks of drainage", "type": "DURATION", "value": "P2W", "mod": "LESS_THAN_OR_EQUAL",
             "event_kind": "other"},
            {"text": "after 5 days", "type": "DURATION", "value": "P5D", "mod": None, "event_kind": "diagnosis"},
            {"text": "After 3 months of therapy", "type": "DURATION", "value": "P3M", "mod": None,
             "event_kind": "treatment"},
            {"text": "12 months of follow-up", "type": "DURATION", "value": "P12M", "mod": None,
             "event_kind": "follow_up"},
        ],
    },
}
