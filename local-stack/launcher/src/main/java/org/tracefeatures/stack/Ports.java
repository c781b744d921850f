package org.tracefeatures.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds out whether a server of the local stack could listen on a port. */
final class Ports {

    private Ports() {}

    /**
     * Whether binding 127.0.0.1:{@code port} fails, as it does when any process listens on it, whether on loopback or on
     * all addresses.
     */
    static boolean isInUse(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
