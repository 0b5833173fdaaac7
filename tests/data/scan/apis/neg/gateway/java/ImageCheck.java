final class ImageCheck {
    static boolean ok(java.util.Properties props, String actual) {
        String expected = props.getProperty("image.sha256");
        return expected.equalsIgnoreCase(actual);
    }
}
