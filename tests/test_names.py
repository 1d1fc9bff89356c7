"""Name lookup: every way of typing a city finds it; unknown, ambiguous and wrongly typed names explain."""

from __future__ import annotations

import pytest

from graph.errors import AmbiguousNameError, UnknownNameError, WrongTypeError
from graph.names import NameIndex, normalize, strip_suffix


@pytest.mark.parametrize("typed", ["甲山", "甲山市", "Jia", "jia", " JIA ", "city:jia", "甲城", "Jiashi", "ｊｉａ"])
def test_every_form_of_a_city_name_resolves(mini_model, typed):
    assert mini_model.names.resolve(typed) == "city:jia"


def test_unknown_name_suggests_closest(mini_model):
    with pytest.raises(UnknownNameError) as info:
        mini_model.names.resolve("甲山县")
    assert info.value.suggestions[0] == "甲山市"
    assert str(info.value) == "no city named '甲山县'; did you mean 甲山市?"


def test_unknown_name_without_any_close_match(mini_model):
    with pytest.raises(UnknownNameError) as info:
        mini_model.names.resolve("zzzz")
    assert str(info.value) == "no city named 'zzzz'"


def test_a_city_argument_never_resolves_to_an_initiative(mini_model):
    with pytest.raises(WrongTypeError) as info:
        mini_model.names.resolve("下沉社区")
    assert str(info.value) == (
        "'下沉社区' is 党员干部下沉社区 (initiative:cadres-to-communities), an initiative, not a city"
    )
    assert mini_model.names.resolve("下沉社区", "initiative") == "initiative:cadres-to-communities"


def test_ambiguous_name_lists_candidates(mini_copy):
    from graph.dataset import load_dataset

    path = mini_copy / "entities.csv"
    text = path.read_text(encoding="utf-8").replace(",Yi,,", ",Yi,甲城,")
    path.write_text(text, encoding="utf-8")
    index = NameIndex(load_dataset(mini_copy))
    with pytest.raises(AmbiguousNameError) as info:
        index.resolve("甲城")
    assert info.value.candidates == [("city:jia", "甲山市"), ("city:yi", "乙水市")]
    assert str(info.value) == "'甲城' is ambiguous: 甲山市 (city:jia), 乙水市 (city:yi); use one of the ids"


def test_helpers():
    assert normalize("Shennongjia Forestry District") == "shennongjiaforestrydistrict"
    assert strip_suffix("神农架林区") == "神农架"
    assert strip_suffix("沙市") == "沙市"


@pytest.mark.parametrize("typed", ["潜江", "潜江市", "Qianjiang", "qianjiang", "city:qianjiang"])
def test_real_data_qianjiang(real_model, typed):
    assert real_model.names.resolve(typed) == "city:qianjiang"


@pytest.mark.parametrize(
    "typed, city",
    [("神农架", "city:shennongjia"), ("襄樊", "city:xiangyang"), ("沔阳", "city:xiantao"), ("Xiaogan", "city:xiaogan")],
)
def test_real_data_other_names(real_model, typed, city):
    assert real_model.names.resolve(typed) == city
