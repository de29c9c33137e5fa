"""The country an address names, for the supervisory authority a letter names: read from the table of Babel's
country names shipped in the package, which must stay Babel's."""

from dpo_desk.letters import authorities


def test_the_shipped_country_names_are_babels() -> None:
    """After a Babel upgrade renames a state, write dpo_desk/letters/country_names.json again: json.dumps of
    authorities.babel_country_names() with ensure_ascii=False, indent=0, sort_keys=True."""
    assert authorities._country_names() == authorities.babel_country_names()


def test_the_table_names_every_eea_state() -> None:
    names = authorities._country_names()
    assert set(names.values()) == set(authorities.EEA)
    assert [names[name] for name in ("norway", "finland", "poland", "iceland", "liechtenstein")] == [
        "NO", "FI", "PL", "IS", "LI"
    ]  # fmt: skip


def test_an_address_names_its_country_in_any_of_the_eea_languages() -> None:
    assert authorities.country_of_address(["Mannerheimintie 1", "00100 Helsinki", "Suomi"]) == "FI"
    assert authorities.country_of_address(["ul. Stawki 2", "00-193 Warszawa", "POLSKA.", ""]) == "PL"
    assert authorities.country_of_address(["Postboks 458 Sentrum", "0105 Oslo", "Norge"]) == "NO"
    assert authorities.country_of_address(["48 Test Avenue", "4916 Exampletown"]) == ""
    assert authorities.country_of_address([]) == ""
