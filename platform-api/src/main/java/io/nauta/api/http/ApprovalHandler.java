package io.nauta.api.http;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.nauta.api.certificates.CertificateSigningRequestStrategy;
import io.nauta.api.certificates.SignerAuthorization;
import io.nauta.api.resource.Meta;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.FieldError;
import io.nauta.core.errors.InvalidException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.validation.CertificateSigningRequestValidation;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code certificatesigningrequests/{name}/approval} (GET, PUT, PATCH), Kubernetes' {@code
 * ApprovalREST} with its {@code csrApprovalStrategy}: of the object sent, only {@code
 * status.conditions} is taken (timestamps filled in), everything else stays as stored; Approved and
 * Denied together are refused (422); the caller must also be allowed to {@code approve} for the
 * CSR's signer ({@link SignerAuthorization}, 403). This is what {@code kubectl certificate
 * approve|deny} calls.
 */
@Component
class ApprovalHandler implements SubresourceHandler {

  private static final CertificateSigningRequestValidation VALIDATION =
      new CertificateSigningRequestValidation();

  private final ResourceService service;
  private final ObjectCodec codec;
  private final RequestBodies bodies;
  private final SignerAuthorization signers;

  ApprovalHandler(
      ResourceService service,
      ObjectCodec codec,
      RequestBodies bodies,
      SignerAuthorization signers) {
    this.service = service;
    this.codec = codec;
    this.bodies = bodies;
    this.signers = signers;
  }

  @Override
  public String subresource() {
    return "approval";
  }

  @Override
  public Set<ResourceType> types() {
    return Set.of(BuiltInResources.CERTIFICATE_SIGNING_REQUESTS);
  }

  @Override
  public Mono<ServerResponse> handle(ServerRequest request, ResourceType type, RequestInfo info) {
    HttpMethod method = request.method();
    if (method == HttpMethod.GET && !info.legacyWatch()) {
      return service
          .get(type, "", info.name())
          .flatMap(obj -> ApiHandler.json(HttpStatus.OK, codec.write(obj)));
    }
    boolean dryRun = QueryOptions.dryRun(request.queryParams());
    ApiHandler.fieldValidation(request);
    if (method == HttpMethod.PUT) {
      return bodies
          .readObject(request)
          .flatMap(
              body -> {
                ResourceService.checkKind(type, body);
                String bodyName = Meta.name(body);
                if (bodyName != null && !bodyName.isEmpty() && !bodyName.equals(info.name())) {
                  throw new BadRequestException(
                      "the name of the object ("
                          + bodyName
                          + ") does not match the name on the URL ("
                          + info.name()
                          + ")");
                }
                return approve(type, info.name(), dryRun, current -> body);
              });
    }
    if (method == HttpMethod.PATCH) {
      String contentType = ApiHandler.patchContentType(request);
      return bodies
          .read(request)
          .map(codec::parse)
          .flatMap(
              patch ->
                  approve(
                      type,
                      info.name(),
                      dryRun,
                      current -> ApiHandler.applyPatch(contentType, current, patch, type.kind())));
    }
    throw SubresourceHandler.notAllowed();
  }

  private Mono<ServerResponse> approve(
      ResourceType type, String name, boolean dryRun, UnaryOperator<ObjectNode> desired) {
    return service
        .get(type, "", name)
        .flatMap(
            stored ->
                signers.check("approve", name, stored.path("spec").path("signerName").asString("")))
        .then(
            Mono.defer(
                () ->
                    service.guaranteedWholeUpdate(
                        type,
                        "",
                        name,
                        dryRun,
                        current -> withConditionsOf(type, current, desired.apply(current)))))
        .flatMap(w -> ApiHandler.json(HttpStatus.OK, w.json()));
  }

  /** The stored CSR with the wanted conditions, validated as an approval update. */
  private ObjectNode withConditionsOf(ResourceType type, ObjectNode current, ObjectNode wanted) {
    ObjectNode updated = current.deepCopy();
    JsonNode asked = wanted.path("status").get("conditions");
    ArrayNode conditions =
        asked instanceof ArrayNode a ? a.deepCopy() : codec.mapper().createArrayNode();
    CertificateSigningRequestStrategy.populateConditionTimestamps(
        conditions, CertificateSigningRequestStrategy.conditions(current), Instant.now());
    ObjectNode status =
        updated.get("status") instanceof ObjectNode s ? s : updated.putObject("status");
    if (conditions.isEmpty()) {
      status.remove("conditions");
    } else {
      status.set("conditions", conditions);
    }
    String rv = Meta.resourceVersion(wanted);
    if (rv == null || rv.isEmpty()) {
      Meta.of(updated).remove("resourceVersion");
    } else {
      Meta.of(updated).put("resourceVersion", rv);
    }
    List<FieldError> errors =
        VALIDATION.validateApprovalUpdate(
            codec.<CertificateSigningRequest>toModel(updated, type),
            codec.<CertificateSigningRequest>toModel(current, type));
    if (!errors.isEmpty()) {
      throw new InvalidException(
          type.kind(), new ResourceRef(type.group(), type.plural(), Meta.name(current)), errors);
    }
    return updated;
  }
}
