"""Hostile spreadsheets (issue 14, finding 1): a small file must not take a worker's memory or
time. Each test builds the attack file itself, uploads it as an officer (or reads it as the
import does) and expects a clear message beside the file field, nothing saved, and the reading
to stay small (Python's peak allocation, measured by tracemalloc, not a timing)."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.spreadsheets import LIMITS
from outcomes.importing import FileError, read_table
from outcomes.models import Proposal, Upload, ValueEvent

pytestmark = pytest.mark.django_db

HEADER = ["area_code", "indicator", "period", "value", "note"]
ROW = ["E08000017", "Employment rate", "2024", "70.5", ""]
SHEET = "xl/worksheets/sheet1.xml"


def workbook_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML changed by ``change(xml) -> xml``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == SHEET:
                content = change(content.decode()).encode()
            target.writestr(item.filename, content)
    return out.getvalue()


def dimension_bomb() -> bytes:
    """The 1.7 KB file of the finding: the sheet declares A1:XFD1048576 and has a row at the
    last line Excel allows, with a cell in its last column."""
    far_row = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'

    def change(xml: str) -> str:
        xml = xml.replace('<dimension ref="A1:E2"/>', '<dimension ref="A1:XFD1048576"/>')
        return xml.replace("</sheetData>", far_row + "</sheetData>")

    return rewrite_sheet(workbook_bytes([HEADER, ROW]), change)


def decompression_bomb(inflated: int = 64 * 1024 * 1024) -> bytes:
    """A sheet that inflates to 64 MB (spaces between rows) from a zip of well under 1 MB."""
    data = workbook_bytes([HEADER, ROW])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename != SHEET:
                target.writestr(item.filename, content)
                continue
            head, tail = content.split(b"</sheetData>")
            with target.open(SHEET, "w", force_zip64=True) as sheet:
                sheet.write(head)
                block = b" " * (1024 * 1024)
                for _ in range(inflated // len(block)):
                    sheet.write(block)
                sheet.write(b"</sheetData>" + tail)
    return out.getvalue()


def upload(client, officer, content: bytes, name: str):
    client.force_login(officer)
    return client.post(reverse("manage:upload"), {"file": SimpleUploadedFile(name, content)})


def assert_refused(response, message: str) -> None:
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(message in error for error in errors), errors
    assert 'id="id_file_error"' in response.content.decode()
    assert not Upload.objects.exists()
    assert (
        not Proposal.objects.exists()
        and not ValueEvent.objects.filter(action=ValueEvent.Action.CREATE).exists()
    )


def peak_megabytes(content: bytes, name: str) -> float:
    tracemalloc.start()
    try:
        with pytest.raises(FileError):
            read_table(content, name)
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def test_a_sheet_that_declares_a_million_rows_is_refused_before_it_is_expanded(
    client, officer_doncaster
):
    content = dimension_bomb()
    assert len(content) < 8 * 1024
    response = upload(client, officer_doncaster, content, "bomb.xlsx")
    assert_refused(response, "The file goes on past line 50,000 (it has something on line")
    assert peak_megabytes(content, "bomb.xlsx") < 20


def test_a_decompression_bomb_is_refused_by_its_declared_size(client, officer_doncaster):
    content = decompression_bomb()
    assert len(content) < 1024 * 1024
    response = upload(client, officer_doncaster, content, "bomb.xlsx")
    assert_refused(response, "The workbook unpacks to 64 MB, more than the 20 MB a file may")
    assert peak_megabytes(content, "bomb.xlsx") < 20


def test_a_cell_far_to_the_right_is_refused_not_padded(client, officer_doncaster):
    def change(xml: str) -> str:
        cell = '<c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace("</row></sheetData>", cell + "</sheetData>", 1)

    content = rewrite_sheet(workbook_bytes([HEADER, ROW]), change)
    response = upload(client, officer_doncaster, content, "wide.xlsx")
    assert_refused(response, "Line 2 has a cell in column XFD, past column AX")


def test_a_csv_with_too_many_lines_is_refused(client, officer_doncaster, settings):
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    content = (",".join(HEADER) + "\n" + ",\n" * LIMITS.lines).encode()
    response = upload(client, officer_doncaster, content, "long.csv")
    assert_refused(response, "The file goes on past line 50,000")


def test_a_csv_field_over_131072_characters_gets_a_message_not_a_500(client, officer_doncaster):
    note = "x" * 131_073
    content = (",".join(HEADER) + "\n" + ",".join(ROW[:4] + [f'"{note}"']) + "\n").encode()
    response = upload(client, officer_doncaster, content, "long-note.csv")
    assert_refused(response, "Line 2 has a cell longer than 32,767 characters")


def test_an_ordinary_workbook_still_reads_every_cell_as_before():
    rows, empty = read_table(workbook_bytes([HEADER, ROW, [], ROW]), "values.xlsx")
    assert [r.line for r in rows] == [2, 4] and empty == [3]
    assert [rows[0].get(column) for column in HEADER] == ROW
