package org.tracefeatures.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The TCP sockets a process listens on, as Linux shows them: the socket inodes among the process's open files
 * ({@code /proc/PID/fd}), looked up in the kernel's socket tables {@code /proc/net/tcp} and {@code /proc/net/tcp6}.
 */
final class ListeningSockets {
    /** Kernel state TCP_LISTEN in the {@code st} column. */
    private static final String LISTEN = "0A";

    record Socket(InetAddress address, int port) implements Comparable<Socket> {
        boolean isLoopback() {
            return address.isLoopbackAddress();
        }

        @Override
        public int compareTo(Socket other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return address.getHostAddress() + ":" + port;
        }
    }

    private ListeningSockets() {}

    /** Every socket that the process listens on now; none once it has ended. */
    static Set<Socket> of(long pid) {
        Set<String> inodes = socketInodes(pid);
        Set<Socket> sockets = new TreeSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals(LISTEN) && inodes.contains(fields[9])) {
                    sockets.add(socket(fields[1]));
                }
            }
        }
        return sockets;
    }

    private static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (NoSuchFileException e) {
                    // closed while listed
                }
            }
        } catch (NoSuchFileException e) {
            return Set.of(); // the process has ended
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inodes;
    }

    /**
     * {@code 0100007F:1F90} is 127.0.0.1:8080: the address in hex, each 32-bit word in the kernel's (little-endian)
     * byte order, 4 bytes for IPv4, 16 for IPv6; the port in hex.
     */
    static Socket socket(String localAddress) {
        String[] parts = localAddress.split(":");
        String hex = parts[0];
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = (word * 4 + 3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        try {
            // an IPv4-mapped IPv6 address (::ffff:127.0.0.1, how Java listens on IPv4) comes back as IPv4
            return new Socket(InetAddress.getByAddress(bytes), Integer.parseInt(parts[1], 16));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(localAddress, e);
        }
    }
}
