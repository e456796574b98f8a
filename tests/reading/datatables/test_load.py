"""Loading slides/data/*.yaml: one table per file stem, problems reported; the workshop's own data."""

from __future__ import annotations

from pathlib import Path

from table_samples import BASIC
from testkit import REPO, ProjectFactory
from testkit import messages as shown

from deckwright.diagnostics import SourceRef
from deckwright.model.deck import plain_text
from deckwright.reading.datatables.load import load_tables

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "tables"
# --------------------------------------------------------------------------- loading


def test_load_tables_reads_every_yaml_file_of_slides_data_named_by_its_stem(
        make_project: ProjectFactory) -> None:
    root = make_project({
        "slides/data/alpha.yaml": BASIC,
        "slides/data/beta.yml": BASIC,
        "slides/data/alpha.yml": BASIC,
        "slides/data/readme.txt": "not data",
        "slides/data/broken.yaml": "columns: [{id: a, label: A}]\nrows: [{id: r, label: R}]\n",
    })
    tables, diags = load_tables(root)
    assert sorted(tables) == ["alpha", "beta", "broken"]
    assert tables["alpha"].ref == SourceRef("slides/data/alpha.yaml", 1)
    assert shown(diags) == [
        "slides/data/alpha.yml:1: error: a data table named 'alpha' already exists (slides/data/alpha.yaml)",
        "slides/data/broken.yaml:2: error: row 'r' has no value for column 'a' (write null for "
        "'not applicable', or list the column under 'optional:')",
    ]


def test_a_project_without_data_has_no_tables(make_project: ProjectFactory) -> None:
    assert load_tables(make_project({})) == ({}, [])


# --------------------------------------------------------------------------- the workshop's data


WORKSHOP_IDS = {
    "terminology": (["docker", "vm", "ec2", "python", "node"],
                    ["engine", "image", "container", "hub", "registry", "dockerfile", "tag", "volume",
                     "runconfig", "compose", "service"]),
    "containers-vs-vms": (["containers", "vms"],
                          ["isolation", "kernel", "security", "startup", "size", "performance", "density",
                           "together", "middle"]),
    "runtimes": (["role", "daemon", "rootless", "oci", "status", "first"],
                 ["docker", "podman", "containerd", "crio", "runc", "buildkit", "rkt"]),
}


def test_the_workshop_data_loads_cleanly_with_the_agreed_ids() -> None:
    tables, diags = load_tables(REPO)
    assert diags == []
    for name, (columns, rows) in WORKSHOP_IDS.items():
        assert [c.id for c in tables[name].columns] == columns
        assert [r.id for r in tables[name].rows] == rows
        assert all(r.definition for r in tables[name].rows), name
    labels = [plain_text(c.label) for c in tables["terminology"].columns]
    assert labels == ["Docker", "Virtual machines", "AWS EC2", "Python", "Node.js"]


def test_the_workshop_data_has_no_unknowns_and_flags_disputable_analogies() -> None:
    tables, _ = load_tables(REPO)
    for table in tables.values():
        for row in table.rows:
            for value in row.values.values():
                assert "?" not in plain_text(value.content), (table.name, row.id)
                assert all(s.href is None or s.href.startswith("https://") for s in value.content)
    term = tables["terminology"]
    image_vm = term.row("image").values["vm"]  # type: ignore[union-attr]
    assert "template" in plain_text(image_vm.content) and "snapshot" in plain_text(image_vm.note)
    assert term.row("volume").values["python"].empty  # type: ignore[union-attr]
