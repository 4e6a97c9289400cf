"""The tally on its own: plain votes in, places and any undecided tie out."""

from priorities.ballot_counting import Tie, places_label, tally


def test_tally_clear_top_three_take_places_in_order_of_votes():
    result = tally({1: 2, 2: 5, 3: 4, 4: 1})

    assert result.positions == {2: 1, 3: 2, 1: 3}
    assert result.tie is None


def test_tally_tie_for_third_place_is_undecided():
    result = tally({1: 5, 2: 4, 3: 3, 4: 3})

    assert result.positions == {1: 1, 2: 2}
    assert result.tie == Tie(options=(3, 4), places=(3,))


def test_tally_casting_vote_decides_tie_for_third_place():
    result = tally({1: 5, 2: 4, 3: 3, 4: 3}, casting={4})

    assert result.positions == {1: 1, 2: 2, 4: 3}
    assert result.tie is None
    assert result.casting_used == frozenset({4})


def test_tally_ties_among_top_three_need_no_casting_vote():
    result = tally({1: 5, 2: 5, 3: 5, 4: 4})

    assert result.positions == {1: 1, 2: 2, 3: 3}
    assert result.tie is None


def test_tally_tie_for_first_two_places_within_top_three_needs_no_casting_vote():
    result = tally({1: 2, 2: 6, 3: 6, 4: 1})

    assert result.positions == {2: 1, 3: 2, 1: 3}
    assert result.tie is None


def test_tally_three_way_tie_for_two_places():
    result = tally({1: 5, 2: 3, 3: 3, 4: 3})

    assert result.positions == {1: 1}
    assert result.tie == Tie(options=(2, 3, 4), places=(2, 3))


def test_tally_three_way_tie_for_two_places_decided_by_two_casting_choices():
    result = tally({1: 5, 2: 3, 3: 3, 4: 3}, casting={2, 4})

    assert result.positions == {1: 1, 2: 2, 4: 3}
    assert result.tie is None


def test_tally_casting_vote_naming_too_few_options_leaves_tie_undecided():
    result = tally({1: 5, 2: 3, 3: 3, 4: 3}, casting={2})

    assert result.tie == Tie(options=(2, 3, 4), places=(2, 3))


def test_tally_casting_vote_for_options_no_longer_tied_is_ignored():
    result = tally({1: 5, 2: 4, 3: 3, 4: 2}, casting={4})

    assert result.positions == {1: 1, 2: 2, 3: 3}
    assert result.casting_used == frozenset()


def test_tally_four_way_tie_for_all_three_places():
    result = tally({1: 2, 2: 2, 3: 2, 4: 2})

    assert result.positions == {}
    assert result.tie == Tie(options=(1, 2, 3, 4), places=(1, 2, 3))


def test_tally_all_zero_adopts_nothing_and_has_no_tie():
    result = tally({1: 0, 2: 0, 3: 0})

    assert result.positions == {}
    assert result.tie is None


def test_tally_options_without_votes_never_take_a_place():
    result = tally({1: 3, 2: 0, 3: 1, 4: 0})

    assert result.positions == {1: 1, 3: 2}
    assert result.tie is None


def test_tally_fewer_than_three_options_leaves_places_empty():
    result = tally({1: 1, 2: 4})

    assert result.positions == {2: 1, 1: 2}
    assert result.tie is None


def test_tally_no_options():
    assert tally({}) == tally({1: 0})


def test_tally_tie_below_third_place_does_not_matter():
    result = tally({1: 5, 2: 4, 3: 3, 4: 1, 5: 1})

    assert result.positions == {1: 1, 2: 2, 3: 3}
    assert result.tie is None


def test_places_label_names_the_disputed_places():
    assert places_label((3,)) == "third place"
    assert places_label((2, 3)) == "second and third places"
    assert places_label((1, 2, 3)) == "first, second and third places"
