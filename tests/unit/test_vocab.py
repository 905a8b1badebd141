import pytest

from kg.vocab import is_slug, mint


def test_mint_is_readable() -> None:
    assert str(mint("area", "henan")) == "https://w3id.org/dckg/id/area/henan"
    assert str(mint("statement", "dahe-2022-08-16", "x")) == (
        "https://w3id.org/dckg/id/statement/dahe-2022-08-16/x"
    )


@pytest.mark.parametrize("slug", ["Henan", "a b", "a/b", "-a", "a-", "", "a>b", "é"])
def test_bad_slugs_are_refused(slug: str) -> None:
    assert not is_slug(slug)
    with pytest.raises(ValueError):
        mint("area", slug)


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        mint("thing", "x")
