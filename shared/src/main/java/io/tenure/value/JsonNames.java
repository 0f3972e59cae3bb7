package io.tenure.value;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The one rule of the value enums' JSON names: the constant's name in lower case. */
final class JsonNames {
    private JsonNames() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> Optional<E> find(E[] constants, String json) {
        return Arrays.stream(constants).filter(c -> of(c).equals(json)).findFirst();
    }

    static <E extends Enum<E>> E of(E[] constants, String json, Class<E> type) {
        return find(constants, json).orElseThrow(() -> new IllegalArgumentException("unknown " + type.getSimpleName() + ": " + json));
    }

    static List<String> all(Enum<?>[] constants) {
        return Arrays.stream(constants).map(JsonNames::of).toList();
    }
}
