"""Patients: who the reported patients are, in which order, and their age and sex, from
phrasings written for these tests."""
import pytest

from extract.evidence.patients import introductions, patients_from_sections


def rows(*sections):
    return [(p.age_years, p.sex) for p in patients_from_sections(list(sections))]


def case(text):
    return rows(("case", 0, text))


# -- age phrasing -------------------------------------------------------------------------
@pytest.mark.parametrize("text, age, sex", [
    ("A 52 y/o male came in with haematemesis.", 52, "male"),
    ("A 67 yo woman came in with haematemesis.", 67, "female"),
    ("A 67-yo woman came in with haematemesis.", 67, "female"),
    ("A 38 y.o. man came in with haematemesis.", 38, "male"),
    # a PDF writes the hyphens as U+2011 or keeps a line-break hyphen's word joined
    ("A 61\u2011year\u2011old man came in with haematemesis.", 61, "male"),
    ("A 61-yearold man came in with haematemesis.", 61, "male"),
    # years and months together
    ("A 2-year, 3-month-old boy had his first febrile seizure.", 2.25, "male"),
    ("A 4-year-6-month-old girl had her first febrile seizure.", 4.5, "female"),
    ("The child, aged 1 year and 6 months, had a febrile seizure.", 1.5, None),
    # the age after the person word
    ("A gentleman of 77 years was brought in after a fall.", 77, "male"),
    ("The patient (58 years, female) reported flank pain.", 58, "female"),
    ("Age: 71 years. She reported flank pain.", 71, "female"),
    ("A farmer, 66, reported flank pain. He had no fever.", 66, "male"),
])
def test_age_forms(text, age, sex):
    assert case(text) == [(pytest.approx(age, abs=0.01), sex)]


def test_a_decade_or_an_age_word_gives_no_age_but_keeps_the_sex():
    assert case("A retired teacher in her late 50s noticed a painless neck lump.") == [(None, "female")]
    assert case("An octogenarian man slipped on ice and could not stand.") == [(None, "male")]


def test_an_age_bound_is_no_age():
    assert case("Children under the age of 5 years were screened for rotavirus.") == [(None, None)]


# -- sex ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, sex", [
    ("A 31-year-old G3P2 had vaginal bleeding at 12 weeks.", "female"),
    ("A 31-year-old, gravida 2 para 1, had vaginal bleeding.", "female"),
    ("A 63-year-old postmenopausal patient had vaginal bleeding.", "female"),
    ("Mrs. T, a 49-year-old, had an itchy rash.", "female"),
    ("Mr. T, a 49-year-old, had an itchy rash.", "male"),
    # the sexed word sits before the person word the age attaches to
    ("A female patient aged 44 years had an itchy rash.", "female"),
    ("Age: 44 years. Sex: female. Chief complaint: an itchy rash.", "female"),
])
def test_sex_without_a_sexed_person_word_next_to_the_age(text, sex):
    assert [s for _, s in case(text)] == [sex]


def test_sex_stated_only_in_the_abstract():
    assert rows(("abstract", 0, "We describe a 19-year-old man with a pneumothorax."),
                ("case", 60, "The patient, aged 19 years, was a smoker. A chest tube was inserted.")) == [(19, "male")]


def test_the_authors_we_and_a_doctor_are_not_the_patient():
    assert case("A 40-year-old woman was referred to us. We examined the patient. Dr. Lee, the surgeon on "
                "call, saw the patient and he asked for a scan.") == [(40, "female")]


def test_a_patient_of_the_literature_in_the_introduction_is_not_the_reports():
    assert rows(("introduction", 0, "Lee et al. described a 50-year-old man with the same lesion."),
                ("abstract", 70, "At 30 years of age, she developed a painless lesion.")) == [(30, "female")]


# -- relatives are not patients -----------------------------------------------------------
def test_a_relatives_age_is_not_the_patients():
    assert case("His father died at the age of 52. A 27-year-old man presented with palpitations.") == [(27, "male")]
    assert case("The patient's mother, a 61-year-old woman, had psoriasis. The patient, a 35-year-old man, "
                "had plaques on his elbows.") == [(35, "male")]


def test_a_child_brought_in_by_a_parent_is_the_patient():
    assert case("A mother brought her 3-year-old daughter to the emergency department with stridor.") \
        == [(3, "female")]
    assert case("A father took his son, a 6-year-old boy, to the clinic with a limp.") == [(6, "male")]


def test_a_follow_up_section_and_a_family_history_give_no_patient_rows():
    # the patient is introduced in the abstract; the case sections only mention later ages and a relative
    assert rows(("abstract", 0, "We report a 4-month-old boy with a neck cyst."),
                ("case", 60, "Case presentation\n\nThe infant was born at term and the cyst was excised."),
                ("case", 160, "Follow-up\n\nAt 2 years of age he was well."),
                ("case", 220, "Family history\n\nHis 33-year-old mother had a similar cyst as a child.")) \
        == [(pytest.approx(0.33, abs=0.01), "male")]


# -- age at onset against age at presentation ---------------------------------------------
def test_the_current_age_wins_over_an_earlier_one():
    assert case("At the age of 4 years, she had her first seizure. Now aged 15, she takes lamotrigine.") \
        == [(15, "female")]
    assert case("At the age of 4 years, she had her first seizure. She is a 15-year-old girl who "
                "takes lamotrigine.") == [(15, "female")]
    # the age she presented at, against the age of an earlier diagnosis
    assert case("She was diagnosed with asthma at the age of 30 years. She presented at 45 years of age "
                "with wheeze.") == [(45, "female")]
    assert case("She first presented at the age of 5 with seizures. She is now 12 years old.") == [(12, "female")]


# -- case series --------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Case #1: A 45-year-old woman had fever. Case #2: A 60-year-old man had a cough.",
    "Patient A. A 45-year-old woman had fever. Patient B. A 60-year-old man had a cough.",
    "Case one. A 45-year-old woman had fever. Case two. A 60-year-old man had a cough.",
])
def test_ordinals_of_a_case_series(text):
    assert case(text) == [(45, "female"), (60, "male")]


def test_each_patient_of_a_series_takes_the_pronouns_of_its_own_case():
    assert case("Case 1. A 45-year-old patient had fever. She was given paracetamol. Case 2. A 60-year-old "
                "patient had a cough. He was given codeine and he recovered.") == [(45, "female"), (60, "male")]


def test_a_series_of_pregnant_women_in_sections():
    assert rows(("case", 0, "Case 1\n\nA 29-year-old primigravida at 30 weeks of gestation had seizures."),
                ("case", 80, "Case 2\n\nA 35-year-old woman, G3P2, had eclampsia at 34 weeks of gestation.")) \
        == [(29, "female"), (35, "female")]


def test_a_capital_letter_after_patient_is_an_ordinal_but_a_lower_case_article_is_not():
    assert case("We gave the patient a leaflet. A 45-year-old woman had fever. We gave the patient a "
                "prescription.") == [(45, "female")]


def test_twins_each_named_by_age_group():
    assert case("Twin A, a male neonate, weighed 2100 g. Twin B, a female neonate, weighed 1900 g.") \
        == [(0.0, "male"), (0.0, "female")]


def test_a_report_that_says_how_many_patients_it_reports():
    assert rows(("title", 0, "Familial hypokalaemic paralysis in two siblings"),
                ("case", 60, "A 16-year-old boy had weakness after meals. His 13-year-old sister had "
                             "similar attacks.")) == [(16, "male"), (13, "female")]
    assert case("We report two patients. A 34-year-old woman and her 8-year-old son had the same "
                "mutation.") == [(34, "female"), (8, "male")]
    # a count of earlier reports is not the report's own
    assert rows(("abstract", 0, "Only two cases have been reported so far."),
                ("case", 60, "A 16-year-old boy had weakness. His 41-year-old mother had similar attacks.")) \
        == [(16, "male")]


# -- mother and newborn -------------------------------------------------------------------
def test_the_newborn_is_the_patient_of_a_neonatal_report():
    text = "A 30-year-old primigravida delivered a female baby at 38 weeks. The baby had complete heart block."
    assert rows(("title", 0, "Congenital heart block in a newborn"), ("case", 60, text)) == [(0.0, "female")]


def test_the_mother_is_the_patient_of_a_maternal_report():
    text = "A 30-year-old primigravida delivered a healthy male baby at 39 weeks. Two days later she was breathless."
    assert rows(("title", 0, "Peripartum cardiomyopathy"), ("case", 60, text)) == [(30, "female")]


def test_a_maternal_report_that_mentions_the_baby_in_its_abstract():
    assert rows(("title", 0, "Eclampsia at term"),
                ("abstract", 20, "A woman had seizures after delivery; the infant was well."),
                ("case", 80, "A 24-year-old primigravida delivered a male infant at 39 weeks. An hour later she "
                             "had a seizure.")) == [(24, "female")]


def test_a_newborn_born_to_an_older_mother_is_the_patient_of_a_neonatal_report():
    assert rows(("title", 0, "Early-onset neonatal sepsis"),
                ("case", 40, "A male infant was born to a 26-year-old mother at 35 weeks.")) == [(0.0, "male")]
