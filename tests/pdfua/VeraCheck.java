// Validate one PDF against a veraPDF profile (ua1: PDF/UA-1) and print the rules it breaks.
// Usage: java -cp <veraPDF jars>:. VeraCheck ua1 book.pdf
// Prints "compliant true|false", then one line per failed check: clause-test, tab, the
// rule's description, tab, where in the PDF. Exit status 0 either way; 2 when it cannot run.
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

public class VeraCheck {
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: VeraCheck FLAVOUR FILE.pdf");
            System.exit(2);
        }
        try {
            VeraGreenfieldFoundryProvider.initialise();
            PDFAFlavour flavour = PDFAFlavour.fromString(args[0]);
            try (PDFAParser parser = Foundries.defaultInstance().createParser(new java.io.File(args[1]), flavour)) {
                PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false);
                ValidationResult result = validator.validate(parser);
                System.out.println("compliant " + result.isCompliant());
                for (TestAssertion assertion : result.getTestAssertions()) {
                    if (assertion.getStatus() == TestAssertion.Status.FAILED) {
                        System.out.println(assertion.getRuleId().getClause() + "-" + assertion.getRuleId().getTestNumber()
                                           + "\t" + assertion.getMessage() + "\t" + assertion.getLocation().getContext());
                    }
                }
            }
        } catch (Exception failure) {
            System.err.println("VeraCheck: " + failure);
            System.exit(2);
        }
    }
}
