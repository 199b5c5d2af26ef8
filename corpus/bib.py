"""Invented bibliography shared by the corpus articles.

Every work here is fictional. DOIs use the 10.5555 test prefix so they cannot resolve to a
real article. Several works are cited by more than one article (shared works for the
citation graph); `make_corpus.py` adds the corpus articles themselves as `corpus:<stem>`.
"""


def art(authors, title, journal, journal_full, year, volume, issue, pages, doi=None):
    return {"authors": authors, "title": title, "journal": journal, "journal_full": journal_full,
            "year": year, "volume": volume, "issue": issue, "pages": pages, "doi": doi}


IJDP = ("Int J Dermatol Pract", "International Journal of Dermatology Practice")
NSD = ("Nephrol Skin Dis", "Nephrology and Skin Disease")
ASR = ("Aesthetic Surg Rep", "Aesthetic Surgery Reports")
PDR = ("Pediatr Dermatol Rep", "Pediatric Dermatology Reports")
CEDR = ("Clin Exp Dermatol Rev", "Clinical and Experimental Dermatology Review")
WCJ = ("Wound Care J", "Wound Care Journal")
ID = ("Infect Dis Clin Cases", "Infectious Disease Clinical Cases")

BIB = {
    # calcinosis cutis, shared by the three calcinosis articles
    "okafor2019": art(["Okafor NA", "Lindqvist M", "Baptiste R"],
                      "Calcinosis cutis: a clinical review of its five subtypes and their management",
                      *IJDP, 2019, 58, 4, "412-421", "10.5555/ijdp.2019.0412"),
    "haugen2016": art(["Haugen T", "Moreau C"],
                      "Dystrophic calcification after soft-tissue injury: mechanisms and imaging features",
                      "Skeletal Radiol Rev", "Skeletal Radiology Review", 2016, 22, 2, "88-95",
                      "10.5555/srr.2016.0088"),
    "kimura2012": {"type": "book", "authors": ["Kimura S", "Delacroix P"],
                   "title": "Cutaneous calcification and ossification", "edition": "2nd ed.", "place": "Lyon",
                   "publisher": "Rhone Medical Books", "year": 2012, "pages": "45-67", "doi": None,
                   "journal": None, "journal_full": None, "volume": None, "issue": None},
    "nguyen2020": art(["Nguyen HT", "Sorensen A", "Iwu CJ", "Mahler B"],
                      "Intralesional sodium thiosulfate for calcinosis cutis: an open-label case series",
                      *IJDP, 2020, 59, 9, "1033-1040", "10.5555/ijdp.2020.1033"),
    "balogun2017": art(["Balogun FA", "Whitcombe P", "Reyes M"],
                       "Intravenous sodium thiosulfate in calcific uraemic arteriolopathy: a retrospective cohort",
                       *NSD, 2017, 5, 2, "77-85", "10.5555/nsd.2017.0077"),
    # cosmetic procedures: shared by the fat-grafting and mycobacterial articles
    "vasquez2018": art(["Vasquez-Rojas L", "Chen Y", "Adeyemi O", "Brandt K"],
                       "Complications of autologous fat transfer to the face: a ten-year single-centre series",
                       *ASR, 2018, 7, 1, "23-31", "10.5555/asr.2018.0023"),
    "ito2014": art(["Ito K", "Farrell DJ"],
                   "Oil cysts and calcified fat necrosis after lipofilling: ultrasound and computed tomography "
                   "correlation", "Breast Imaging Q", "Breast Imaging Quarterly", 2014, 9, 3, "201-207",
                   "10.5555/biq.2014.0201"),
    "almeida2019": art(["Almeida R", "Kovac J"],
                       "Subcutaneous calcified nodules after filler and fat injections: a pictorial essay",
                       *ASR, 2019, 8, 3, "140-148", "10.5555/asr.2019.0140"),
    "oyelaran2015": art(["Oyelaran T", "Marsh E", "Quist H"],
                        "Topical and systemic treatments for calcinosis cutis: a systematic review",
                        *CEDR, 2015, 40, 6, "612-620"),
    # neonatal extravasation
    "patel2015": art(["Patel R", "Olsen JB", "Mwangi C"],
                     "Calcium gluconate extravasation injuries in a neonatal unit: a five-year audit",
                     "Arch Neonatal Care", "Archives of Neonatal Care", 2015, 11, 2, "134-140",
                     "10.5555/anc.2015.0134"),
    "fontaine2010": art(["Fontaine M", "Greer A"],
                        "Spontaneous resolution of iatrogenic calcinosis cutis in infancy: eighteen cases",
                        *PDR, 2010, 27, 5, "498-503", "10.5555/pdr.2010.0498"),
    "lindgren2013": art(["Lindgren E", "Obi C"],
                        "Sonographic appearance of soft-tissue calcification in neonates",
                        "J Pediatr Ultrasound", "Journal of Pediatric Ultrasound", 2013, 4, 1, "12-18",
                        "10.5555/jpu.2013.0012"),
    "harcourt2018": art(["Harcourt S", "Benali Y", "Thorsen K"],
                        "Peripheral intravenous infiltration in newborns: staging and early management",
                        *PDR, 2018, 35, 2, "210-217", "10.5555/pdr.2018.0210"),
    # calciphylaxis
    "mbeki2021": art(["Mbeki T", "Rask L", "Hoffmann G", "Duarte F", "Lowe P"],
                     "Calcific uraemic arteriolopathy in patients on haemodialysis: risk factors and survival",
                     *NSD, 2021, 9, 6, "601-610", "10.5555/nsd.2021.0601"),
    "dewitt2019": art(["De Witt A", "Park SY"],
                      "Wound bed preparation and debridement in calciphylaxis", *WCJ, 2019, 28, 4, "230-238",
                      "10.5555/wcj.2019.0230"),
    "sato2022": art(["Sato Y", "Brennan L", "Kowalczyk A"],
                    "Hyperbaric oxygen as adjunct therapy for calciphylaxis: a systematic review",
                    "Undersea Med Rev", "Undersea Medicine Review", 2022, 14, 2, "99-108",
                    "10.5555/umr.2022.0099"),
    "ruiz2016": art(["Ruiz-Ortega M", "Fenwick D"],
                    "Warfarin exposure and vascular calcification: a case-control study",
                    "Vasc Med Lett", "Vascular Medicine Letters", 2016, 3, 1, "15-22", "10.5555/vml.2016.0015"),
    "holm2020": art(["Holm S", "Achterberg W", "Ncube P"],
                    "Pain in calciphylaxis: a qualitative study of patients on dialysis", *NSD, 2020, 8, 1,
                    "12-19", "10.5555/nsd.2020.0012"),
    "tran2018": art(["Tran QV", "Ekwueme C", "Salo H"],
                    "Bisphosphonates for non-uraemic calciphylaxis: three cases and a review", *CEDR, 2018, 43,
                    2, "150-156", "10.5555/cedr.2018.0150"),
    "adeyemi2021": art(["Adeyemi O", "Wallin K", "Ferreira L", "Kask M", "Bello A", "Stroud R", "Yilmaz E"],
                       "Sodium thiosulfate dosing schedules in calciphylaxis: a multicentre registry analysis",
                       *NSD, 2021, 9, 3, "288-297", "10.5555/nsd.2021.0288"),
    "brightman2017": art(["Brightman J", "Osei K"],
                         "Skin biopsy in suspected calciphylaxis: yield and complications", *CEDR, 2017, 42, 5,
                         "540-546", "10.5555/cedr.2017.0540"),
    # neutrophilic and drug-related dermatoses, shared by the two Halden & Rowe articles
    "ferreira2018": art(["Ferreira L", "Dunmore K"],
                        "Pyoderma gangrenosum: diagnostic criteria revisited", *CEDR, 2018, 43, 7, "781-789",
                        "10.5555/cedr.2018.0781"),
    "abara2015": art(["Abara E", "Whitlock G", "Sandvik H", "Mori T"],
                     "Ciclosporin versus prednisolone for pyoderma gangrenosum: a randomised comparison",
                     *IJDP, 2015, 54, 11, "1201-1210", "10.5555/ijdp.2015.1201"),
    "lund2020": art(["Lund C", "Marchetti A"],
                    "Pathergy after surgical debridement of pyoderma gangrenosum", *WCJ, 2020, 29, 8, "455-460",
                    "10.5555/wcj.2020.0455"),
    "kowal2017": art(["Kowal B", "Ibekwe N", "Haas T"],
                     "Neutrophilic dermatoses associated with inflammatory bowel disease", *CEDR, 2017, 42, 3,
                     "301-309", "10.5555/cedr.2017.0301"),
    "renner2019": art(["Renner P", "Akhtar S"],
                      "Topical tacrolimus for peristomal and leg ulcers of neutrophilic origin", *IJDP, 2019, 58,
                      1, "55-60", "10.5555/ijdp.2019.0055"),
    "weiss2021": art(["Weiss D", "Santos-Lima F", "Oduya M"],
                     "Steroid-sparing agents in inflammatory skin disease: a practical review", *CEDR, 2021, 46,
                     4, "402-413", "10.5555/cedr.2021.0402"),
    "kardos2019": art(["Kardos P", "Whitfield J", "Amadi U"],
                      "Scoring drug reaction with eosinophilia and systemic symptoms in hospital practice",
                      *CEDR, 2019, 44, 2, "160-168", "10.5555/cedr.2019.0160"),
    "moreno2016": art(["Moreno-Diaz I", "Tanaka H"],
                      "Relapse of drug reaction with eosinophilia during corticosteroid taper", *IJDP, 2016, 55,
                      8, "870-876", "10.5555/ijdp.2016.0870"),
    "ahn2014": art(["Ahn J", "Lorentzen B", "Pike S"],
                   "Human herpesvirus 6 reactivation in severe cutaneous drug reactions",
                   *ID, 2014, 6, 2, "71-78", "10.5555/idcc.2014.0071"),
    "chua2018": art(["Chua W", "Greaves M"],
                    "Aromatic anticonvulsants and delayed hypersensitivity: a review of risk alleles",
                    "Pharmacogenomics Rep", "Pharmacogenomics Reports", 2018, 12, 4, "333-341",
                    "10.5555/pgr.2018.0333"),
    "nilsen2022": art(["Nilsen A", "Baraka O"],
                      "Long-term autoimmune sequelae after drug reaction with eosinophilia", *CEDR, 2022, 47, 1,
                      "44-51", "10.5555/cedr.2022.0044"),
    # rapidly growing mycobacteria
    "lopes2017": art(["Lopes F", "Halvorsen E", "Mensah K"],
                     "Outbreak of rapidly growing mycobacterial skin infection after cosmetic injections",
                     *ID, 2017, 9, 1, "14-22", "10.5555/idcc.2017.0014"),
    "gupta2019": art(["Gupta N", "Ferraro L"],
                     "Clarithromycin-based combination therapy for cutaneous Mycobacterium abscessus",
                     *ID, 2019, 11, 3, "190-198", "10.5555/idcc.2019.0190"),
    "stein2020": art(["Stein M", "Adair J", "Okonkwo C"],
                     "Surgical excision versus drainage for nontuberculous mycobacterial abscesses of the skin",
                     *WCJ, 2020, 29, 2, "88-95", "10.5555/wcj.2020.0088"),
    "park2016": art(["Park H", "Velasquez T"],
                    "Laboratory identification of rapidly growing mycobacteria in skin samples",
                    "J Clin Microbiol Methods", "Journal of Clinical Microbiology Methods", 2016, 21, 5, "401-408",
                    "10.5555/jcmm.2016.0401"),
    "oduya2021": art(["Oduya M", "Lind P", "Carvalho R"],
                     "Amikacin toxicity in prolonged outpatient therapy", *ID, 2021, 13, 4, "250-257"),
}
