package io.nauta.api.openapi;

import io.nauta.core.registry.BuiltInResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes one of Nauta's OpenAPI v3 documents to a file, without a server, so the build can generate
 * clients from it (see the {@code openapi-generator-maven-plugin} in this module's POM).
 *
 * <p>Arguments: the document path ({@code api/v1}) and the output file.
 */
public final class OpenApiSpecWriter {

  private OpenApiSpecWriter() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: OpenApiSpecWriter <document path> <output file>");
    }
    OpenApiV3 openApi = new OpenApiV3(BuiltInResources.registry(), JsonMapper.builder().build());
    byte[] json =
        openApi
            .documentJson(args[0])
            .orElseThrow(() -> new IllegalArgumentException("no OpenAPI document " + args[0]));
    Path out = Path.of(args[1]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.write(out, json);
  }
}
