package io.tenure.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** The project's files as tests see them: the root and template.yaml resolved like the stack does. */
final class ProjectFiles {
    private ProjectFiles() {
    }

    static Path root() {
        return LocalStack.findProjectRoot();
    }

    /** The real template.yaml (not a test copy). */
    static Path template() {
        return root().resolve("template.yaml");
    }

    static TemplateModel model() {
        try {
            return TemplateModel.load(template(), Map.of("JwtIssuer", "https://issuer.example/",
                    "JwtAudience", "tenure-local", "SenderEmail", "no-reply@tenure.local",
                    "AppBaseUrl", "http://127.0.0.1:3000"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
