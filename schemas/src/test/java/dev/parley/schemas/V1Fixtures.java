package dev.parley.schemas;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed article's developments as version 1 of Development wrote them, frozen when v2 was released:
 * each record as it sits on parley.developments, prefixed by its length (4 bytes, big-endian).
 */
public final class V1Fixtures {

    public static final String RESOURCE = "/dev/parley/schemas/fixtures/ukraine-peace-2025.development-v1.bin";

    private V1Fixtures() {
    }

    public static List<byte[]> records() {
        List<byte[]> records = new ArrayList<>();
        try (var in = new DataInputStream(V1Fixtures.class.getResourceAsStream(RESOURCE))) {
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    return records;
                }
                records.add(in.readNBytes(length));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
