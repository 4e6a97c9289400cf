"""The shared checks of residents' text: personal data to redact, and words of an emergency."""

import pytest

from core.text_checks import (
    ADDRESS,
    EMAIL,
    NAME,
    PHONE,
    VEHICLE,
    kinds_found,
    personal_data_in,
    reads_like_emergency,
    redacted,
    segments,
)


def _found(text: str) -> list[tuple[str, str]]:
    return [(finding.kind, finding.text) for finding in personal_data_in(text)]


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Call me on 07700 900982 any time", PHONE, "07700 900982"),
        ("ring 07700900982", PHONE, "07700900982"),
        ("my landline is (01622) 123456", PHONE, "(01622) 123456"),
        ("or +44 7700 900 982 from abroad", PHONE, "+44 7700 900 982"),
        ("the shop is on 01634-555-123", PHONE, "01634-555-123"),
        ("freephone 0800 555 1234", PHONE, "0800 555 1234"),
        ("email jo.bloggs+pact@example.co.uk please", EMAIL, "jo.bloggs+pact@example.co.uk"),
        ("a white van AB12 CDE parks on the pavement", VEHICLE, "AB12 CDE"),
        ("reg KX65ABC again", VEHICLE, "KX65ABC"),
        ("an old Escort, P123 ABC", VEHICLE, "P123 ABC"),
        ("a classic car ABC 123D", VEHICLE, "ABC 123D"),
        ("the drug dealing at 12 Acacia Avenue", ADDRESS, "12 Acacia Avenue"),
        ("from 3a, Tonbridge Road", ADDRESS, "3a, Tonbridge Road"),
        ("the family at number 14 play music", ADDRESS, "number 14"),
        ("Mr Smith lets his dog foul the path", NAME, "Mr Smith"),
        ("Mrs Jane Doe shouts at children", NAME, "Mrs Jane Doe"),
        ("a boy called Tom Jones throws stones", NAME, "Tom Jones"),
    ],
)
def test_personal_data_in_finds_each_kind(text, kind, found):
    assert _found(text) == [(kind, found)]


@pytest.mark.parametrize(
    "text",
    [
        "Speeding on St Mary's Road every morning",
        "Cars race along the A229 and the M20 at night",
        "Parking on the High Street near the school",
        "Call 999 in an emergency or 101 otherwise",
        "It happened on 12/03/2024 at 10:30pm",
        "Anti-social behaviour in ME14 1XX after 9pm",
        "A knife crime awareness talk at the community centre",
        "The pub called The Bull has fights at closing time",
        "About 20 young people gather in the park",
        "Our number 1 concern is speeding",
    ],
)
def test_personal_data_in_leaves_ordinary_pact_text_alone(text):
    assert _found(text) == []


def test_redacted_replaces_each_finding_with_what_it_was():
    text = "Mr Smith at 12 Acacia Avenue (07700 900982, smith@example.com) drives AB12 CDE on the verge."
    assert redacted(text) == (
        "[name removed] at [address removed] ([phone number removed], [email address removed]) "
        "drives [vehicle registration removed] on the verge."
    )


def test_redacted_keeps_text_without_personal_data_as_it_is():
    text = "Speeding on St Mary's Road.\nEvery morning."
    assert redacted(text) == text


def test_redacted_keeps_the_words_that_introduce_a_name_or_house():
    text = "a man called Dave who lives at number 4"
    assert redacted(text) == "a man called [name removed] who lives at [address removed]"


def test_segments_cut_the_text_into_plain_and_marked_stretches():
    parts = segments("Ring 07700 900982 now")
    assert [(text, finding.kind if finding else None) for text, finding in parts] == [
        ("Ring ", None),
        ("07700 900982", PHONE),
        (" now", None),
    ]
    assert "".join(text for text, _finding in parts) == "Ring 07700 900982 now"


def test_kinds_found_names_each_kind_once_in_order():
    assert kinds_found("07700 900982 or 01622 123456, or a@example.com") == ["a phone number", "an email address"]
    assert kinds_found("") == []


@pytest.mark.parametrize(
    "text",
    [
        "Someone is breaking in next door",
        "someone’s trying to get in through the back door",
        "A man has just broken in to the shop",
        "He has a knife",
        "a man waving a machete outside the chip shop",
        "I am scared for my safety",
        "we're in danger",
        "he is threatening to kill her",
        "they said they are going to hurt me",
        "my neighbour is being attacked",
        "It is happening right now",
        "There is someone in my garden",
    ],
)
def test_reads_like_emergency_spots_danger_now(text):
    assert reads_like_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could we have a knife crime awareness talk at the school?",
        "Please put a knife amnesty bin in the town centre",
        "I feel unsafe walking through the park at night",
        "Someone is going to kill a child driving that fast",
        "Cars speed down St Mary's Road",
        "Sheds on the allotments were broken into last winter",
        "",
    ],
)
def test_reads_like_emergency_leaves_ordinary_concerns_alone(text):
    assert not reads_like_emergency(text)


def test_reads_like_emergency_reads_every_text_given():
    assert reads_like_emergency("All fine", "He has a gun")
    assert not reads_like_emergency("All fine", "")
