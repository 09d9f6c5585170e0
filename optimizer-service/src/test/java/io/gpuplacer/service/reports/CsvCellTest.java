package io.gpuplacer.service.reports;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Report cells a spreadsheet opens safely, and read back (RFC 4180) to what was written, quote aside. */
class CsvCellTest {

    @Test
    void namesASpreadsheetWouldRunAsFormulasAreNeutralised() {
        assertThat(ReportCsv.cell("=HYPERLINK(\"http://evil\",\"x\")"))
                .isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");
        assertThat(ReportCsv.cell("+1")).isEqualTo("\"'+1\"");
        assertThat(ReportCsv.cell("-2+3")).isEqualTo("\"'-2+3\"");
        assertThat(ReportCsv.cell("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
        assertThat(ReportCsv.cell("\tcmd")).isEqualTo("\"'\tcmd\"");
        assertThat(ReportCsv.cell("team-a")).isEqualTo("team-a");
        assertThat(ReportCsv.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(ReportCsv.cell("")).isEmpty();
    }

    /**
     * Any text (random, seeded: short strings weighted to the characters that matter, and any other code unit):
     * one field when read back, equal to the text, with a quote before it when it began as a formula.
     */
    @Test
    void everyTextIsOneFieldThatReadsBack() {
        java.util.Random random = new java.util.Random(22);
        String special = "=+-@\t\r\n,\"' a";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(8); i > 0; i--) {
                text.append(random.nextBoolean() ? special.charAt(random.nextInt(special.length()))
                        : (char) random.nextInt(Character.MAX_VALUE + 1));
            }
            readsBack(text.toString());
        }
    }

    private static void readsBack(String text) {
        String cell = ReportCsv.cell(text);
        String read = readOneField(cell);
        boolean formula = !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0;
        assertThat(read).isEqualTo(formula ? "'" + text : text);
        assertThat(read.isEmpty() || "=+-@\t\r".indexOf(read.charAt(0)) < 0).isTrue();
    }

    /** An RFC 4180 reader of one field; fails if the cell holds more than one. */
    private static String readOneField(String cell) {
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < cell.length() && cell.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',' || c == '\n' || c == '\r') {
                fields.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        fields.add(f.toString());
        assertThat(fields).as("fields of " + cell).hasSize(1);
        return fields.get(0);
    }
}
