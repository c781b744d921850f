package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Addresses as /proc/net/tcp and /proc/net/tcp6 write them (examples worked out by hand from proc(5)). */
class ListeningSocketsTest {
    @Test
    void readsIpv4InTheKernelsByteOrder() {
        ListeningSockets.Socket loopback = ListeningSockets.socket("0100007F:1F90");
        ListeningSockets.Socket any = ListeningSockets.socket("00000000:2382");

        assertThat(loopback.toString()).isEqualTo("127.0.0.1:8080");
        assertThat(loopback.isLoopback()).isTrue();
        assertThat(any.toString()).isEqualTo("0.0.0.0:9090");
        assertThat(any.isLoopback()).isFalse();
    }

    @Test
    void readsIpv6IncludingIpv4MappedLoopback() {
        // ::ffff:127.0.0.1, how a Java server bound to 127.0.0.1 shows in tcp6
        assertThat(ListeningSockets.socket("0000000000000000FFFF00000100007F:5E0C")
                        .toString())
                .isEqualTo("127.0.0.1:24076");
        assertThat(ListeningSockets.socket("0000000000000000FFFF00000100007F:5E0C")
                        .isLoopback())
                .isTrue();
        // ::1
        assertThat(ListeningSockets.socket("00000000000000000000000001000000:1F90")
                        .isLoopback())
                .isTrue();
        // :: (every interface)
        assertThat(ListeningSockets.socket("00000000000000000000000000000000:1F90")
                        .isLoopback())
                .isFalse();
    }
}
