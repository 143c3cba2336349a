/** A class of another file of Program.java's directory: the source launcher compiles it when first used. */
final class Helper
{
    private Helper()
    {
    }

    static String name()
    {
        return "Helper.java";
    }
}
