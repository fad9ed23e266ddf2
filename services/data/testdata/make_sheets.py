"""Makes the XLS and ODS fixtures the spreadsheet tests read (pip install xlwt odfpy).

sample.xls / sample.ods: sheet "People" (name, born as a date, score, active) and sheet "Second".
bomb.ods: one row with a cell repeated 1,000,000 columns and repeated 1,000,000 rows: calamine
would materialise 10^12 cells; the service must refuse it from content.xml first.
"""
import datetime
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableRow, TableCell
from odf.text import P

rows = [("name", "born", "score", "active"),
        ("Ada", datetime.date(1815, 12, 10), 91.5, True),
        ("Alan", datetime.date(1912, 6, 23), 88, False)]

wb = xlwt.Workbook()
ws = wb.add_sheet("People")
date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
for r, row in enumerate(rows):
    for c, v in enumerate(row):
        if isinstance(v, datetime.date):
            ws.write(r, c, v, date_style)
        else:
            ws.write(r, c, v)
wb.add_sheet("Second").write(0, 0, "only")
wb.save("sample.xls")


def ods(path, tables):
    doc = OpenDocumentSpreadsheet()
    for name, build in tables:
        t = Table(name=name)
        build(t)
        doc.spreadsheet.addElement(t)
    doc.save(path)


def people(t):
    for row in rows:
        tr = TableRow()
        for v in row:
            if isinstance(v, bool):
                tc = TableCell(valuetype="boolean", booleanvalue="true" if v else "false")
            elif isinstance(v, datetime.date):
                tc = TableCell(valuetype="date", datevalue=v.isoformat())
            elif isinstance(v, (int, float)):
                tc = TableCell(valuetype="float", value=str(v))
            else:
                tc = TableCell(valuetype="string")
            tc.addElement(P(text=str(v)))
            tr.addElement(tc)
        t.addElement(tr)


def second(t):
    tr = TableRow()
    tc = TableCell(valuetype="string")
    tc.addElement(P(text="only"))
    tr.addElement(tc)
    t.addElement(tr)


def bomb(t):
    tr = TableRow(numberrowsrepeated="1000000")
    tc = TableCell(valuetype="float", value="1", numbercolumnsrepeated="1000000")
    tc.addElement(P(text="1"))
    tr.addElement(tc)
    t.addElement(tr)


ods("sample.ods", [("People", people), ("Second", second)])
ods("bomb.ods", [("Bomb", bomb)])
