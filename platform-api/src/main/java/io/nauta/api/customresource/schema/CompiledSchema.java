package io.nauta.api.customresource.schema;

import io.nauta.core.errors.FieldError;
import java.util.List;

/** What {@link SchemaCompiler#compile} made: errors (then no schema) or a usable schema. */
public record CompiledSchema(List<FieldError> errors, CustomResourceSchema schema) {}
