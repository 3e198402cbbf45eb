package io.kafkaconcierge.e2e;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A lean closed-loop HTTP/1.1 load generator, in the manner of wrk: {@code connections} threads, each with one
 * keep-alive connection, sending the next request as soon as the answer to the last one is read. It records each
 * request's latency and status, so the benchmark measures the server rather than a heavy client.
 */
final class LoadClient {

    /** What a run measured: latency in ms and HTTP status of each request, and the wall time. */
    record Result(double[] latencies, int[] statuses, String[] bodies, long wallNanos) {}

    private LoadClient() {}

    /** Sends {@code total} POSTs to {@code path} with the bodies {@code body(i)}. */
    static Result post(String baseUrl, String path, int total, int connections, IntFunction<String> body)
            throws Exception {
        return post(List.of(baseUrl), path, total, connections, body);
    }

    /**
     * The same spread round robin over several servers (replicas of one service): request {@code i} goes to
     * {@code baseUrls[i % size]}, each connection thread keeping one keep-alive connection to each server, so that
     * {@code connections} requests are in flight in all, as with one server.
     */
    static Result post(List<String> baseUrls, String path, int total, int connections, IntFunction<String> body)
            throws Exception {
        List<URI> uris = baseUrls.stream().map(URI::create).toList();
        double[] latencies = new double[total];
        int[] statuses = new int[total];
        String[] bodies = new String[total];
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        // as a member of every team the bodies name would: an admin of the test identity
        String authorization =
                io.kafkaconcierge.testing.TestIdentity.bearer(io.kafkaconcierge.testing.TestIdentity.admin());
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            Thread t = new Thread(
                    () -> {
                        List<Socket> sockets = new ArrayList<>();
                        try {
                            List<OutputStream> outs = new ArrayList<>();
                            List<InputStream> ins = new ArrayList<>();
                            for (URI u : uris) {
                                Socket socket = new Socket(u.getHost(), u.getPort());
                                sockets.add(socket);
                                socket.setTcpNoDelay(true);
                                outs.add(socket.getOutputStream());
                                ins.add(new BufferedInputStream(socket.getInputStream()));
                            }
                            for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                                URI uri = uris.get(i % uris.size());
                                OutputStream out = outs.get(i % uris.size());
                                InputStream in = ins.get(i % uris.size());
                                byte[] payload = body.apply(i).getBytes(StandardCharsets.UTF_8);
                                String head = "POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\n"
                                        + "Authorization: " + authorization + "\r\n"
                                        + "Content-Type: application/json\r\nContent-Length: " + payload.length
                                        + "\r\n\r\n";
                                long t0 = System.nanoTime();
                                out.write(head.getBytes(StandardCharsets.US_ASCII));
                                out.write(payload);
                                out.flush();
                                statuses[i] = readResponse(in, bodies, i);
                                latencies[i] = (System.nanoTime() - t0) / 1e6;
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        } finally {
                            for (Socket socket : sockets) {
                                try {
                                    socket.close();
                                } catch (IOException e) {
                                    // closing anyway
                                }
                            }
                        }
                    },
                    "load-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("the load client failed", errors.get(0));
        }
        return new Result(latencies, statuses, bodies, System.nanoTime() - start);
    }

    private static int readResponse(InputStream in, String[] bodies, int i) throws IOException {
        String status = line(in);
        int code = Integer.parseInt(status.split(" ")[1]);
        int length = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (header.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                length = Integer.parseInt(header.substring(colon + 1).trim());
            }
        }
        bodies[i] = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return code;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }
}
