"""Patients of reports whose case is not under a case heading: a "Patients" heading the PDF
sectioner files as methods, or a table of the patient's data (issue #14). All text is made up."""
from extract import read_text
from extract.evidence.patients import patients_from_sections, table_cells

FACTS_KINDS = ("title", "abstract", "case", "introduction", "other", "methods", "results", "table")


def _people(sections):
    return [(p.age_years, p.sex) for p in patients_from_sections(sections)]


ABSTRACT = ("abstract", 0, "We report a rare presentation of a vascular tumour of the forearm and its "
                           "surgical treatment.")
INTRO = ("introduction", 200, "Vascular tumours of the forearm are uncommon in adults.")
DISCUSSION = ("discussion", 900, "A 70-year-old man described by Brown et al. had a similar tumour.")


def test_case_filed_as_methods_gives_age_and_sex():
    methods = ("methods", 400, "A 38-year-old woman came to our clinic with a painless swelling of the "
                               "left forearm. She had no other complaints.")
    assert _people([ABSTRACT, INTRO, methods]) == [(38.0, "female")]


def test_case_filed_as_results_gives_age():
    results = ("results", 400, "The patient, a 61-year-old man, underwent excision of the mass.")
    assert _people([ABSTRACT, INTRO, results]) == [(61.0, "male")]


def test_discussion_is_never_read():
    assert _people([ABSTRACT, INTRO, DISCUSSION]) == [(None, None)]


def test_case_section_outranks_methods():
    case = ("case", 300, "A 52-year-old man noticed a lump on his arm.")
    methods = ("methods", 500, "A 38-year-old woman was examined.")
    assert _people([ABSTRACT, case, methods]) == [(52.0, "male")]


def test_abstract_outranks_methods():
    abstract = ("abstract", 0, "We describe a 27-year-old woman with a forearm tumour.")
    methods = ("methods", 400, "A 38-year-old man was examined.")
    assert _people([abstract, methods]) == [(27.0, "female")]


def test_methods_sex_from_pronouns_when_no_age_anywhere():
    methods = ("methods", 400, "The patient noticed the swelling two months earlier. He had smoked for "
                               "years and his father had a similar lesion; he denied trauma.")
    assert _people([ABSTRACT, methods]) == [(None, "male")]


def test_study_methods_are_not_a_patient():
    # a study, not a case: its participants' and animals' ages and sexes give no patient
    abstract = ("abstract", 0, "Background: wound healing was compared between two extracts. Methods: "
                               "rats were treated for three weeks.")
    methods = ("methods", 300, "Thirty male albino rats, 2-month old, were housed in cages. Patients aged "
                               "65 years or older formed group 2. He or she signed a form; he was paid.")
    assert _people([abstract, methods]) == [(None, None)]


def test_methods_group_ages_are_not_a_patient():
    methods = ("methods", 400, "We reviewed 120 patients aged 65 years or older and a mean age of 71 years.")
    assert _people([ABSTRACT, methods]) == [(None, None)]


def test_methods_age_without_a_person_word_is_not_taken():
    methods = ("methods", 400, "Samples were stored at 4 degrees for 30 days old stock was discarded.")
    assert _people([ABSTRACT, methods])[0][0] is None


def test_table_cells_one_patient():
    assert [(p.age_years, p.sex) for p in table_cells("Characteristic Value\nAge 44\nSex F\nWeight 60 kg")] \
        == [(44.0, "female")]
    assert [(p.age_years, p.sex) for p in table_cells("Age (years) 29 Gender male")] == [(29.0, "male")]
    assert [(p.age_years, p.sex) for p in table_cells("Age: 7\nGender: female")] == [(7.0, "female")]


def test_table_cells_of_a_group_give_nothing():
    for text in ("Age 52 ± 9", "Age 30-70", "Age (years) 40 to 60", "Sex M/F 12/8", "Gender Male Female",
                 "Age (y) 50s 60s", "Age 41 58 66 Sex M F M", "Age 12 months"):
        assert table_cells(text) == [], text


def test_table_used_last():
    table = ("table", 800, "Table 1 Laboratory and clinical data\nAge 44\nSex F\nHaemoglobin 11.2")
    assert _people([ABSTRACT, INTRO, table]) == [(44.0, "female")]
    methods = ("methods", 400, "A 38-year-old man was examined.")
    assert _people([ABSTRACT, methods, table]) == [(38.0, "male")]


def test_table_sex_fills_a_missing_sex():
    abstract = ("abstract", 0, "We report a 63-year-old patient with a forearm tumour.")
    table = ("table", 800, "Table 1\nSex M\nCreatinine 1.1")
    assert _people([abstract, table]) == [(63.0, "male")]


def test_document_with_a_patients_heading():
    text = ("We report a case of a slowly growing tumour of the forearm.\n\n"
            "Introduction\n\nSuch tumours are uncommon.\n\n"
            "Patients\n\nA 46-year-old woman had a firm swelling of the forearm for a year. She was well otherwise.\n\n"
            "Discussion\n\nA 70-year-old man reported by Green et al. had the same tumour.\n")
    doc = read_text(text, kind="abstract")
    sections = [(s.kind, s.char_start, doc.text[s.char_start:s.char_end]) for s in doc.sections
                if s.kind in FACTS_KINDS]
    assert [k for k, _, _ in sections] == ["abstract", "introduction", "methods"]
    assert _people(sections) == [(46.0, "female")]
    # what facts.py passed before: no age nor sex of the patient
    assert _people([s for s in sections if s[0] in FACTS_KINDS[:5]]) == [(None, None)]
