package io.tenure.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation/SAM template. The short-form intrinsic tags ({@code !Ref X}, {@code !Sub s},
 * {@code !GetAtt A.B}, {@code !Join [..]} ...) become the long-form maps CloudFormation itself uses
 * ({@code {"Ref": "X"}}, {@code {"Fn::Sub": s}}, {@code {"Fn::GetAtt": ["A", "B"]}} ...).
 */
final class CloudFormationYaml {
    private static final List<String> FUNCTION_TAGS = List.of(
            "Sub", "Join", "If", "Select", "Split", "Equals", "Not", "And", "Or", "FindInMap",
            "Base64", "Cidr", "GetAZs", "ImportValue", "Transform", "Length", "ToJsonString");

    private CloudFormationYaml() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path template) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(16 * 1024 * 1024);
        Yaml yaml = new Yaml(new ShortFormConstructor(options));
        try (Reader reader = Files.newBufferedReader(template, StandardCharsets.UTF_8)) {
            Object document = yaml.load(reader);
            if (!(document instanceof Map)) {
                throw new IllegalArgumentException(template + " is not a YAML mapping");
            }
            return (Map<String, Object>) document;
        }
    }

    /** SafeConstructor that also understands CloudFormation's short-form tags. */
    static final class ShortFormConstructor extends SafeConstructor {
        ShortFormConstructor(LoaderOptions options) {
            super(options);
            yamlConstructors.put(new Tag("!Ref"), new LongForm("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new LongForm("Condition"));
            yamlConstructors.put(new Tag("!GetAtt"), new GetAtt());
            for (String name : FUNCTION_TAGS) {
                yamlConstructors.put(new Tag("!" + name), new LongForm("Fn::" + name));
            }
        }

        /** The node's plain value: a string, a list or a map. */
        Object plainValue(Node node) {
            if (node instanceof ScalarNode scalar) {
                return constructScalar(scalar);
            }
            if (node instanceof SequenceNode sequence) {
                return new ArrayList<>(constructSequence(sequence));
            }
            return new LinkedHashMap<>(constructMapping((MappingNode) node));
        }

        private final class LongForm extends AbstractConstruct {
            private final String key;

            LongForm(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put(key, plainValue(node));
                return result;
            }
        }

        /** {@code !GetAtt Resource.Attribute} (scalar) or {@code !GetAtt [Resource, Attribute]}. */
        private final class GetAtt extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                Object value = plainValue(node);
                if (value instanceof String text) {
                    int dot = text.indexOf('.');
                    value = dot < 0 ? List.of(text) : List.of(text.substring(0, dot), text.substring(dot + 1));
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("Fn::GetAtt", value);
                return result;
            }
        }
    }
}
