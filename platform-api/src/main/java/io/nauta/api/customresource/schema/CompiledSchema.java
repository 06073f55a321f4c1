package io.nauta.api.customresource.schema;

import io.nauta.core.errors.FieldError;
import java.util.List;

// placeholder until the structural-schema work lands
/** A compiled schema, or the errors that kept it from compiling ({@code schema} null then). */
public record CompiledSchema(List<FieldError> errors, CustomResourceSchema schema) {}
