package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Checks the answers the integration tests receive over HTTP against {@code docs/openapi.yaml}: every path, status,
 * header and body the API answers must be described there, and described right. Requests are not checked: tests send
 * bad ones on purpose.
 */
final class OpenApiContract {

    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
            .createForSpecificationUrl(Path.of("..", "docs", "openapi.yaml").toAbsolutePath().toUri().toString()).build();

    private OpenApiContract() {
    }

    /** Asserts that this answer is one the OpenAPI file describes for its request's path and method; returns it, for chaining. */
    static HttpResponse<String> matches(HttpResponse<String> response) {
        var request = response.request();
        String path = URLDecoder.decode(request.uri().getRawPath(), StandardCharsets.UTF_8);
        var answer = SimpleResponse.Builder.status(response.statusCode()).withBody(response.body());
        response.headers().map().forEach(answer::withHeader);
        ValidationReport report = VALIDATOR.validateResponse(path, Request.Method.valueOf(request.method()), answer.build());
        assertThat(report.getMessages()).as("%s %s answered %d %s, which docs/openapi.yaml does not describe", request.method(),
                request.uri(), response.statusCode(), abbreviated(response.body())).filteredOn(message -> message.getLevel() == ValidationReport.Level.ERROR)
                .isEmpty();
        return response;
    }

    private static String abbreviated(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
