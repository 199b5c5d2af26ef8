"""Patients: a stress set of the ways case reports state the reported patient's age and sex,
and hard negatives (a relative's age, a duration, an earlier event's age, a patient of the
literature), all in sentences written for these tests. Ages follow the gold convention
(benchmarks/gold/README.md): years, 0 for a newborn, fractions for infants; a decade ("in
her fifties") is no age (null), but its sex stands."""
import pytest

from extract.evidence.patients import patients_from_sections


def rows(*sections):
    return [(p.age_years, p.sex) for p in patients_from_sections(list(sections))]


def case(text):
    return rows(("case", 0, text))


def first(text):
    return case(text)[0]


WEEK, DAY = 7 / 365.25, 1 / 365.25


# -- age phrasings ------------------------------------------------------------------------
@pytest.mark.parametrize("text, age", [
    ("A 45-year-old man came to the clinic with a painful knee.", 45),
    ("A 45-yr-old man came to the clinic with a painful knee.", 45),
    ("A 45 yr old man came to the clinic with a painful knee.", 45),
    ("A 45-yrs-old man came to the clinic with a painful knee.", 45),
    ("A 45 y/o man came to the clinic with a painful knee.", 45),
    ("A 45 yo man came to the clinic with a painful knee.", 45),
    ("A man aged 45 years came to the clinic with a painful knee.", 45),
    ("A man aged 45 came to the clinic with a painful knee.", 45),
    ("A man, age 45, came to the clinic with a painful knee.", 45),
    ("The patient, a man, 45, came to the clinic with a painful knee.", 45),
    ("A man, 45, came to the clinic with a painful knee.", 45),
    ("A forty-five-year-old man came to the clinic with a painful knee.", 45),
    ("A forty five year old man came to the clinic with a painful knee.", 45),
    ("A six-year-old boy came to the clinic with a painful knee.", 6),
    ("A twenty-year-old student came to the clinic with a painful knee.", 20),
    ("A 72-year old man came to the clinic with a painful knee.", 72),
    ("A 72 year-old man came to the clinic with a painful knee.", 72),
    ("A 72-years-old man came to the clinic with a painful knee.", 72),
    ("A 72 years old man came to the clinic with a painful knee.", 72),
    ("A 72 year old man came to the clinic with a painful knee.", 72),
    ("A man of 72 came to the clinic with a painful knee.", 72),
    ("A man of 72 years came to the clinic with a painful knee.", 72),
    ("The patient was a 72-year-old, previously healthy, right-handed man with a painful knee.", 72),
    ("A previously healthy 72-year-old Caucasian man came to the clinic with a painful knee.", 72),
    ("A 72-year-old came to the clinic with a painful knee. He had no fever.", 72),
    ("The patient was 72 years of age when he came to the clinic with a painful knee.", 72),
    ("At the age of 72 years, he came to the clinic with a painful knee.", 72),
    ("A 2.5-year-old boy came to the clinic with a painful knee.", 2.5),
    ("A 2,5-year-old boy came to the clinic with a painful knee.", 2.5),
    ("A 6-week-old infant was brought in with poor feeding.", 6 * WEEK),
    ("A 6 weeks old infant was brought in with poor feeding.", 6 * WEEK),
    ("An 18-month-old was brought in with poor feeding. She was pale.", 1.5),
    ("An 18-months-old girl was brought in with poor feeding.", 1.5),
    ("A ten-month-old girl was brought in with poor feeding.", 10 / 12),
    ("A 3-day-old was brought in with poor feeding. He was jaundiced.", 3 * DAY),
    ("A 3-day-old neonate was brought in with poor feeding.", 3 * DAY),
    ("A neonate born at 34 weeks was brought in with poor feeding.", 0),
    ("A male newborn was admitted with poor feeding.", 0),
    ("A preterm baby girl, born at 30 weeks of gestation, was admitted with poor feeding.", 0),
])
def test_age_phrasings(text, age):
    assert first(text)[0] == pytest.approx(age, abs=0.02)


@pytest.mark.parametrize("text, age, sex", [
    ("Age: 45\nSex: male\nComplaint: a painful knee for two weeks.", 45, "male"),
    ("Age: 45 years\nGender: female\nComplaint: a painful knee for two weeks.", 45, "female"),
    ("Age/Sex: 45/M\nComplaint: a painful knee for two weeks.", 45, "male"),
    ("Age/sex: 45/F. Complaint: a painful knee for two weeks.", 45, "female"),
    ("Age/Gender: 45 years/female. Complaint: a painful knee for two weeks.", 45, "female"),
    ("A 45/F came to the clinic with a painful knee.", 45, "female"),
    ("A patient, 45/M, came to the clinic with a painful knee.", 45, "male"),
    ("A 45-year/M came to the clinic with a painful knee.", 45, "male"),
    ("The patient (M/45) came to the clinic with a painful knee.", 45, "male"),
    ("The patient (F, 45 years) came to the clinic with a painful knee.", 45, "female"),
    ("The patient (45 y, M) came to the clinic with a painful knee.", 45, "male"),
    ("Patient 1: 45 years, male. He came to the clinic with a painful knee.", 45, "male"),
    ("A 45-year-old G2P1 came to the clinic with a painful knee.", 45, "female"),
    ("A 45-year-old G2P1L1 came to the clinic with a painful knee.", 45, "female"),
    ("A 28-year-old primigravida at 32 weeks of gestation came in with a headache.", 28, "female"),
    ("A 28-year-old woman at 32 weeks of gestation came in with a headache.", 28, "female"),
    ("A 58-year-old postmenopausal patient came in with a headache.", 58, "female"),
])
def test_age_and_sex_together(text, age, sex):
    assert first(text) == (pytest.approx(age, abs=0.02), sex)


def test_a_decade_gives_no_age_but_its_sex():
    """The gold records no age for a decade (a reader cannot give the year)."""
    assert case("A woman in her fifties came to the clinic with a painful knee.") == [(None, "female")]
    assert case("A man in his early 60s came to the clinic with a painful knee.") == [(None, "male")]
    assert case("A patient in her mid-forties came to the clinic with a painful knee.") == [(None, "female")]


# -- sex phrasings ------------------------------------------------------------------------
@pytest.mark.parametrize("text, sex", [
    ("A 45-year-old woman came to the clinic with a painful knee.", "female"),
    ("A 45-year-old man came to the clinic with a painful knee.", "male"),
    ("A 45-year-old lady came to the clinic with a painful knee.", "female"),
    ("A 45-year-old gentleman came to the clinic with a painful knee.", "male"),
    ("A 9-year-old boy came to the clinic with a painful knee.", "male"),
    ("A 9-year-old girl came to the clinic with a painful knee.", "female"),
    ("A 45-year-old female came to the clinic with a painful knee.", "female"),
    ("A 45-year-old male came to the clinic with a painful knee.", "male"),
    ("A 45-year-old female patient came to the clinic with a painful knee.", "female"),
    ("A 45-year-old mother of three came to the clinic with a painful knee.", "female"),
    ("A 45-year-old father of three came to the clinic with a painful knee.", "male"),
    ("A 45-year-old patient came to the clinic with a painful knee. His gait was antalgic.", "male"),
    ("A 45-year-old patient came to the clinic with a painful knee. Her gait was antalgic.", "female"),
    ("Mr. K, 45 years old, came to the clinic with a painful knee.", "male"),
    ("Mr K, 45 years old, came to the clinic with a painful knee.", "male"),
    ("Mrs. K, 45 years old, came to the clinic with a painful knee.", "female"),
    ("Ms K, 45 years old, came to the clinic with a painful knee.", "female"),
    ("A 45-year-old, G2P1, came to the clinic with a painful knee.", "female"),
    ("A 45-year-old primigravida came to the clinic with a painful knee.", "female"),
    ("A 45-year-old, postmenopausal, came to the clinic with a painful knee.", "female"),
    ("A 45-year-old, gravida 3, para 2, came to the clinic with a painful knee.", "female"),
    ("A 45/M came to the clinic with a painful knee.", "male"),
    ("A patient (M/45) came to the clinic with a painful knee.", "male"),
    ("A patient (F/45) came to the clinic with a painful knee.", "female"),
])
def test_sex_phrasings(text, sex):
    assert first(text)[1] == sex


# -- hard negatives -----------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    # a relative's age, before or after the patient's
    ("A 15-year-old girl came in with a rash; her 40-year-old brother had the same rash.", (15, "female")),
    ("Her 40-year-old brother had had the same rash. The patient, a 15-year-old girl, came in with it.",
     (15, "female")),
    ("The patient's 40-year-old brother had had the same rash. A 15-year-old girl came in with it.",
     (15, "female")),
    # a duration is no age
    ("A man with a 10-year history of gout, aged 63, came in with a hot toe.", (63, "male")),
    ("A 63-year-old man with a 10-year history of gout came in with a hot toe.", (63, "male")),
    ("He had had gout for 10 years. At 63 years of age, he came in with a hot toe.", (63, "male")),
    # the age at an earlier event, when the presenting age is given too
    ("She was diagnosed with lupus at age 30. At 45 years of age, she came in with a rash.", (45, "female")),
    ("A 45-year-old woman, diagnosed with lupus at age 30, came in with a rash.", (45, "female")),
    ("Diagnosed at the age of 30 with lupus, a 45-year-old woman came in with a rash.", (45, "female")),
    # the gestational age of a pregnant patient is not her age
    ("At 32 weeks of gestation, a 28-year-old woman came in with a headache.", (28, "female")),
])
def test_hard_negatives(text, expected):
    assert first(text) == (pytest.approx(expected[0], abs=0.02), expected[1])


def test_a_patient_of_the_literature_in_the_discussion_is_not_the_reports():
    assert rows(("case", 0, "A 50-year-old woman came in with a rash. She was given a cream."),
                ("other", 70, "A 60-year-old man reported by Smith et al. had the same rash.")) \
        == [(50, "female")]


def test_a_literature_patient_does_not_fill_a_missing_age():
    """The case text gives no age: the discussion's patient of another report is not ours."""
    assert rows(("case", 0, "The patient, a woman, came in with a rash. She was given a cream."),
                ("other", 80, "A 60-year-old man reported by Smith et al. had the same rash.")) \
        == [(None, "female")]


# -- more shapes: compact units, group statistics, a series ---------------------------------
@pytest.mark.parametrize("text, age, sex", [
    ("A 45 yr. old man came to the clinic with a painful knee.", 45, "male"),
    ("A 6-mo-old boy came to the clinic with a rash.", 0.5, "male"),
    ("A 10-d-old girl came to the clinic with a rash.", 10 * DAY, "female"),
    ("A woman (age, 45 years) came to the clinic with a painful knee.", 45, "female"),
    ("A 13-year-and-4-month-old girl came to the clinic with a painful knee.", 13 + 4 / 12, "female"),
    ("We saw an eight-and-a-half-yr-old male with a painful knee.", 8.5, "male"),
    ("A 2 and a half year old girl came to the clinic with a rash.", 2.5, "female"),
    ("A newborn male was admitted with poor feeding.", 0, "male"),
    ("A 45-year-old Para 2 came to the clinic with a painful knee.", 45, "female"),
    ("Postmenopausal and 58 years old, the patient came in with a headache.", 58, "female"),
    ("A 62-year-old came in with a rash. The patient's husband had had a cold.", 62, "female"),
    # a sentence end right before the age: the earlier sentence's "since" is not this age's
    ("She had had eczema since the age of 3. At age 45, a rash appeared.", 45, "female"),
    ("A 45 years female came to the clinic with a painful knee.", 45, "female"),
    ("A 45-yr male came to the clinic with a painful knee.", 45, "male"),
    ("A female, aged 45, came to the clinic with a painful knee.", 45, "female"),
    ("A child of 8 years came in with a rash. She had a fever.", 8, "female"),
    ("On day 5 of life, a girl was admitted with a rash.", 5 * DAY, "female"),
    ("A boy on the 12th day of life was admitted with a rash.", 12 * DAY, "male"),
    ("A 45-year-old woman came in with a rash. Lee et al. described a 60-year-old man with it.", 45, "female"),
])
def test_more_shapes(text, age, sex):
    assert first(text) == (pytest.approx(age, abs=0.02), sex)


@pytest.mark.parametrize("text", [
    "Ten patients (median age, 58 years) had a painful knee.",
    "In 23 men with a mean age of 50 years, a rash appeared.",
    "The patients were aged 61 \u00b1 8 years and had a rash.",
])
def test_a_groups_statistic_is_no_patients_age(text):
    assert case(text) == [(None, None)]


def test_newborn_animals_give_no_sex():
    assert [s for _, s in case("Newborn female rats were fed a diet rich in salt for 8 weeks.")] == [None]


def test_a_series_the_report_counts_or_numbers():
    assert case("Case presentation 1: A 45-year-old man had a rash. Case presentation 2: A 30-year-old woman "
                "had the same rash.") == [(45, "male"), (30, "female")]
    assert case("The first patient was a 45-year-old man with a rash. The second was a 30-year-old woman "
                "with the same rash.") == [(45, "male"), (30, "female")]
    assert rows(("abstract", 0, "We report five patients with a rash."),
                ("case", 40, "A 45-year-old woman had a rash. A 20-year-old man had it too. A 30-year-old man, "
                 "a 50-year-old woman and a 60-year-old woman also had it.")) \
        == [(45, "female"), (20, "male"), (30, "male"), (50, "female"), (60, "female")]


def test_a_pair_named_in_the_title():
    assert rows(("title", 0, "A shared rash in a mother and her son"),
                ("case", 40, "A 45-year-old woman had a rash. Her 20-year-old son had the same rash a week later.")) \
        == [(45, "female"), (20, "male")]
    assert rows(("title", 0, "A rash in two sisters"),
                ("case", 30, "The elder sister, aged 30, had a rash. Her younger sister, aged 25, had it too.")) \
        == [(30, "female"), (25, "female")]


@pytest.mark.parametrize("text, expected", [
    ("A 45-year-old woman reported in our clinic with a rash.", (45, "female")),
    ("A 45-year-old man, as reported by his wife, had had a rash for 3 days.", (45, "male")),
    ("A 45-year-old man met the criteria proposed by Smith et al. for the disease.", (45, "male")),
    ("The patient was a woman with a rash. Lee et al. described a 60-year-old man with it.", (None, "female")),
])
def test_only_a_patient_of_another_report_is_literature(text, expected):
    assert first(text) == expected
