package dev.pool;

import java.util.regex.Pattern;

/**
 * Hides secrets in JDBC URLs before they reach a log line, an error or the endpoint: the password in
 * the user-info part and in {@code password}, {@code pwd}, {@code passwd}, {@code secret} and
 * {@code token} parameters. Public for the Spring Boot starter, which masks what it shows the same way.
 */
public final class UrlMasker {

    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@]*:)[^@/]*@");
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)((?:password|pwd|passwd|secret|token)=)[^&;]*");

    private UrlMasker() {
    }

    /** The URL with any password (in user-info or a parameter) replaced by {@code ******}. */
    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        String masked = USER_INFO.matcher(url).replaceAll("$1******@");
        return PASSWORD_PARAM.matcher(masked).replaceAll("$1******");
    }
}
