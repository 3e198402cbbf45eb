package io.kafkaconcierge.testing.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client sends: any method, any bytes in the request line and in
 * headers, bodies larger than what the server reads, a Content-Length that lies. One connection per request
 * ({@code Connection: close}); the body is written on another thread while the answer is read, so that a server
 * which answers before reading a giant body (and closes) is still heard.
 */
public final class RawHttp {

    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-http-writer");
        t.setDaemon(true);
        return t;
    });
    private static final int MAX_BODY = 1 << 20;

    private RawHttp() {}

    /** An answer; {@code error} says why there is none (then {@code status} is -1). */
    public record Response(int status, Map<String, List<String>> headers, byte[] body, boolean cut, String error) {

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A request as bytes: ISO-8859-1, so that any byte can be put in the request line and the headers. */
    public static byte[] head(String method, String target, List<String[]> headers) {
        StringBuilder s =
                new StringBuilder().append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (String[] h : headers) {
            s.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        return s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Sends {@code head} and {@code body} and reads the answer. A streaming answer (no length, not chunked-ended in
     * time) is read for {@code streamFor} after its headers, then cut.
     */
    public static Response exchange(
            int port, byte[] head, byte[] body, boolean headRequest, Duration timeout, Duration streamFor) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            Future<?> writer = null;
            if (body == null || body.length < 256 * 1024) {
                try {
                    out.write(concat(head, body));
                    out.flush();
                } catch (IOException e) {
                    // the server answered (a 431, a 414) and closed before reading everything: read the answer
                }
            } else {
                writer = WRITERS.submit(() -> {
                    try {
                        out.write(head);
                        for (int off = 0; off < body.length; off += 64 * 1024) {
                            out.write(body, off, Math.min(64 * 1024, body.length - off));
                        }
                        out.flush();
                    } catch (IOException e) {
                        // the server answered and closed before reading everything: the answer is what counts
                    }
                    return null;
                });
            }
            try {
                return read(socket, socket.getInputStream(), headRequest, streamFor);
            } finally {
                if (writer != null) {
                    writer.cancel(true);
                }
            }
        } catch (IOException e) {
            return new Response(-1, Map.of(), new byte[0], false, e.toString());
        }
    }

    private static Response read(Socket socket, InputStream raw, boolean headRequest, Duration streamFor)
            throws IOException {
        Input in = new Input(raw);
        while (true) {
            String statusLine;
            try {
                statusLine = in.line();
            } catch (SocketTimeoutException e) {
                return new Response(-1, Map.of(), new byte[0], false, "no answer in time");
            }
            if (statusLine == null) {
                return new Response(-1, Map.of(), new byte[0], false, "closed without an answer");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                return new Response(-1, Map.of(), new byte[0], false, "not HTTP: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String line = in.line(); line != null && !line.isEmpty(); line = in.line()) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(
                                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(line.substring(colon + 1).trim());
                }
            }
            if (status >= 100 && status < 200) {
                continue; // 100 Continue: the real answer follows
            }
            if (headRequest || status == 204 || status == 304) {
                return new Response(status, headers, new byte[0], false, null);
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            boolean cut = false;
            String type = first(headers, "content-type");
            boolean stream = type != null && type.startsWith("text/event-stream");
            if (stream) {
                socket.setSoTimeout((int) Math.max(1, streamFor.toMillis()));
            }
            try {
                String length = first(headers, "content-length");
                String encoding = first(headers, "transfer-encoding");
                if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                    long deadline = System.nanoTime() + streamFor.toNanos();
                    while (true) {
                        String size = in.line();
                        if (size == null) {
                            break;
                        }
                        int semi = size.indexOf(';');
                        int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                        if (n == 0) {
                            break;
                        }
                        in.copy(body, n);
                        in.line();
                        if (body.size() > MAX_BODY || (stream && System.nanoTime() > deadline)) {
                            cut = true;
                            break;
                        }
                    }
                } else if (length != null) {
                    in.copy(body, Math.min(Long.parseLong(length.trim()), MAX_BODY));
                } else {
                    in.copyToEnd(body, MAX_BODY);
                }
            } catch (SocketTimeoutException e) {
                if (!stream) {
                    return new Response(status, headers, body.toByteArray(), true, "body not read in time");
                }
                cut = true;
            } catch (IOException e) {
                return new Response(status, headers, body.toByteArray(), true, "body cut: " + e);
            }
            return new Response(status, headers, body.toByteArray(), cut, null);
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (b == null || b.length == 0) {
            return a;
        }
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** A buffered reader of lines (ISO-8859-1) and bytes. */
    private static final class Input {
        private final InputStream in;
        private final byte[] buffer = new byte[8192];
        private int pos;
        private int limit;

        Input(InputStream in) {
            this.in = in;
        }

        private boolean fill() throws IOException {
            if (pos < limit) {
                return true;
            }
            int n = in.read(buffer);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        }

        String line() throws IOException {
            StringBuilder s = new StringBuilder();
            while (true) {
                if (!fill()) {
                    return s.length() == 0 ? null : s.toString();
                }
                char c = (char) (buffer[pos++] & 0xff);
                if (c == '\n') {
                    int len = s.length();
                    return len > 0 && s.charAt(len - 1) == '\r' ? s.substring(0, len - 1) : s.toString();
                }
                s.append(c);
                if (s.length() > 64 * 1024) {
                    throw new IOException("header line too long");
                }
            }
        }

        void copy(ByteArrayOutputStream out, long n) throws IOException {
            while (n > 0) {
                if (!fill()) {
                    throw new IOException("closed " + n + " bytes before the end of the body");
                }
                int take = (int) Math.min(n, limit - pos);
                out.write(buffer, pos, take);
                pos += take;
                n -= take;
            }
        }

        void copyToEnd(ByteArrayOutputStream out, int max) throws IOException {
            while (out.size() < max && fill()) {
                out.write(buffer, pos, limit - pos);
                pos = limit;
            }
        }
    }
}
