package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What to change in a template for some clusters, applied in this order.
 *
 * @param plaintext JSON patch operations
 * @param imageOverrider image registry, repository or tag changes
 * @param commandOverrider container command changes
 * @param argsOverrider container args changes
 * @param labelsOverrider label changes
 * @param annotationsOverrider annotation changes
 * @param fieldOverrider changes inside a JSON or YAML string field
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Overriders(
    List<PlaintextOverrider> plaintext,
    List<ImageOverrider> imageOverrider,
    List<CommandArgsOverrider> commandOverrider,
    List<CommandArgsOverrider> argsOverrider,
    List<LabelAnnotationOverrider> labelsOverrider,
    List<LabelAnnotationOverrider> annotationsOverrider,
    List<FieldOverrider> fieldOverrider) {}
