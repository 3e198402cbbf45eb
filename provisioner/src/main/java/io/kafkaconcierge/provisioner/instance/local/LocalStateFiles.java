package io.kafkaconcierge.provisioner.instance.local;

import io.kafkaconcierge.contracts.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The local backend's record of its instances: {@code <root>/<name>/instance.json}, one {@link LocalState} each,
 * replaced atomically so that a provisioner killed while writing leaves the previous state, never half a file.
 */
final class LocalStateFiles {

    static final String STATE_FILE = "instance.json";

    /**
     * What {@link #readAll} found: the states by instance name in the order of their folders, and the state files it
     * could not read with why.
     */
    record Found(Map<String, LocalState> states, Map<Path, String> unreadable) {}

    private final Path root;

    LocalStateFiles(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Writes the instance's state: to a temporary file first, then moved over the old one in one step. */
    void save(String name, LocalState state) {
        try {
            Path dir = root.resolve(name);
            Files.createDirectories(dir);
            Path tmp = dir.resolve(STATE_FILE + ".tmp");
            Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
            Files.move(
                    tmp, dir.resolve(STATE_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the state of instance " + name, e);
        }
    }

    /**
     * Every instance under the root (a folder with a state file), creating the root if it is not there. A state file
     * that cannot be read is left alone and reported in {@link Found#unreadable}; the others are still read.
     */
    Found readAll() {
        Map<String, LocalState> states = new LinkedHashMap<>();
        Map<Path, String> unreadable = new LinkedHashMap<>();
        List<Path> dirs;
        try {
            Files.createDirectories(root);
            try (Stream<Path> list = Files.list(root)) {
                dirs = list.filter(d -> Files.exists(d.resolve(STATE_FILE)))
                        .sorted()
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the instances under " + root, e);
        }
        for (Path dir : dirs) {
            Path file = dir.resolve(STATE_FILE);
            try {
                states.put(dir.getFileName().toString(), Json.MAPPER.readValue(file.toFile(), LocalState.class));
            } catch (IOException e) {
                unreadable.put(file, e.toString());
            }
        }
        return new Found(states, unreadable);
    }

    /** Removes the instance's folder and everything in it (nothing if there is none). */
    void delete(String name) {
        Path dir = root.resolve(name);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
