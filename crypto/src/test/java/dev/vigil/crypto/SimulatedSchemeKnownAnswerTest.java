package dev.vigil.crypto;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulated scheme's exact bytes for one fixed key. Simnet's seeded runs (and their
 * regression digests) sign with it, so its key derivation, node id and signature function must
 * not drift: any change to them shows here first.
 */
class SimulatedSchemeKnownAnswerTest {
    private static final String[] SIGNATURES = {
        "d267dc65a5562dda7d2bece2fa8ece578fbb54305a7677949946d9f290e77dd5d6178886c54dd6f54c1e738b5534cf426c93ba312441c060ea119ef43227d3ff",
        "c83af5fbe6daf059c2af6288bb75a144f860401393272636b92a848b4a12f523c1ecb7bbbc78e509e5ff1b9f7df773f3d295098adee4381b2410fcdcf15bdbff",
        "de7a17a5eeb172ea059bbe4f5a599e8dba6cf81398e4e361eaf1037a2cd9cfaa6aa74213d3ce7d25be58dfb91a16eeeef02de4f8811524aaea0bff1b1b1117ff",
        "8bdff40a8b70b111f78be072734f625fc1f66336852826685ed70087e91b24675b4c0c2c42566363410479a2f02967857e2f665197c2fcc1bfc942a3925a47ff",
        "b6c457ab6c8c32e05b4658d06a948f5769b92e14a3d11eb818a8d971583a69db9303f0ff27dcd0c405196fa215062ce0506ce574debff2648fc7a2954e9decff",
        "51b54230b1cb82b658251ba54fd39f9c167f9dbefcee67cce2e0954068d4baa0d28a68f06286e982ef24b2de36c8ea32e99aaf36fcd4407ca4c8eb7fe99e78ff",
        "2e8a5de76d506190713d4260bca092da7e5c09ae1baf5bcaff407123352d8a0302163baf39d595eac53de210545fce0f9bbf1c54836317c855d4ec3695db3fff",
    };
    private static final int[] MESSAGE_LENGTHS = {0, 1, 7, 8, 9, 16, 23};

    private static PrivateKey key() {
        final byte[] secret = new byte[PrivateKey.LENGTH];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte)i;
        }
        return PrivateKey.simulatedInsecure(secret);
    }

    /** {@code n} bytes 0xA0, 0xA1, ... */
    private static byte[] message(final int n) {
        final byte[] m = new byte[n];
        for (int i = 0; i < n; i++) {
            m[i] = (byte)(0xA0 + i);
        }
        return m;
    }

    @Test
    void theKeyAndItsIdAreFixedByTheSecret() {
        final PrivateKey k = key();
        assertThat(HexFormat.of().formatHex(k.publicKey().encoded()))
            .isEqualTo("e3ab0d716552fbd1522978c25809400c6e095e847ff2646ce4aec8d043e8cecb");
        assertThat(NodeIds.toHex(k.nodeId())).isEqualTo("aa058cd16c74df15");
        assertThat(k.publicKey().toString()).isEqualTo("PublicKey[aa058cd16c74df15, simulated, NOT SECURE]");
    }

    @Test
    void signaturesOfMessagesAroundTheEightByteWordAreFixed() {
        final PrivateKey k = key();
        for (int i = 0; i < MESSAGE_LENGTHS.length; i++) {
            final byte[] m = message(MESSAGE_LENGTHS[i]);
            assertThat(HexFormat.of().formatHex(k.sign(m))).as("%d-byte message", m.length).isEqualTo(SIGNATURES[i]);
            assertThat(k.publicKey().verify(HexFormat.of().parseHex(SIGNATURES[i]), 0, m, 0, m.length)).isTrue();
        }
    }

    @Test
    void aMessageInsideALargerArraySignsAsTheSameBytesAlone() {
        final PrivateKey k = key();
        final byte[] padded = new byte[30];
        System.arraycopy(message(9), 0, padded, 5, 9);
        final byte[] signature = new byte[70];
        k.sign(padded, 5, 9, signature, 3);
        assertThat(HexFormat.of().formatHex(signature, 3, 67)).isEqualTo(SIGNATURES[4]);
    }
}
