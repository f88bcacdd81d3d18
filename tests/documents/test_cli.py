"""``gkdesk render`` / ``docs`` / ``templates`` / ``seal`` as a child process."""
from gkdesk.documents import templates

from tests.documents.helpers import flat, need, ready_case


def test_render_help_lists_kinds(run_cli):
    r = run_cli("render", "--help")
    assert r.returncode == 0
    for kind in ("receipt", "correction", "not-request", "consultation", "consultation-notice", "extension",
                 "fee", "reply", "termination", "service-proof"):
        assert kind in r.stdout


def test_render_draft_issue_and_refusal(db_path, run_cli, tmp_path):
    import subprocess

    need("pdftotext")
    case = ready_case("reply.withhold")
    out = tmp_path / "draft.pdf"
    r = run_cli("--db", db_path, "render", "--case", case.number, "--doc", "reply", "-o", out,
                "--field", "articles=《中华人民共和国保守国家秘密法》第二条")
    assert r.returncode == 0, r.stderr
    text = flat(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout)
    assert "保守国家秘密法" in text and "草稿" in text

    r = run_cli("--db", db_path, "render", "--case", case.number, "--doc", "reply", "--issue",
                "-o", tmp_path / "issued.pdf")
    assert r.returncode == 0, r.stderr
    assert "某政办依复〔2026〕1号" in r.stderr
    r = run_cli("--db", db_path, "docs", "list", "--case", case.number)
    assert "某政办依复〔2026〕1号" in r.stdout

    r = run_cli("--db", db_path, "render", "--case", case.number, "--doc", "extension", "-o", tmp_path / "e.pdf")
    assert r.returncode != 0 and "延期" in r.stderr and not (tmp_path / "e.pdf").exists()

    r = run_cli("--db", db_path, "render", "--case", case.number, "--doc", "reply", "--stamp")
    assert r.returncode != 0 and "--issue" in r.stderr

    r = run_cli("--db", db_path, "render", "--case", case.number, "--doc", "reply", "--list-fields")
    assert r.returncode == 0 and "reason" in r.stdout and "理由" in r.stdout

    r = run_cli("--db", db_path, "render", "--case", case.number, "--doc", "reply", "-o", tmp_path / "r.docx")
    assert r.returncode == 0 and (tmp_path / "r.docx").stat().st_size > 1000


def test_templates_check_names_the_field(db_path, run_cli, tmp_path):
    f = tmp_path / "t.j2"
    f.write_text(templates.default_body("receipt") + "{{ case.nickname }}\n", encoding="utf-8")
    r = run_cli("--db", db_path, "templates", "check", "receipt", f)
    assert r.returncode != 0 and "case.nickname" in r.stderr
    r = run_cli("--db", db_path, "templates", "list")
    assert r.returncode == 0 and "reply.partial" in r.stdout


def test_seal_import_and_stamped_issue(db_path, run_cli, tmp_path):
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    ImageDraw.Draw(img).ellipse((5, 5, 295, 295), outline=(220, 0, 0, 255), width=10)
    png = tmp_path / "seal.png"
    img.save(png)
    case = ready_case("receipt")
    r = run_cli("--db", db_path, "seal", "import", png)
    assert r.returncode == 0, r.stderr
    r = run_cli("--db", db_path, "render", "--case", case.number, "--doc", "receipt", "--issue", "--stamp",
                "-o", tmp_path / "s.pdf")
    assert r.returncode == 0, r.stderr
    assert b"/Subtype /Image" in (tmp_path / "s.pdf").read_bytes()
