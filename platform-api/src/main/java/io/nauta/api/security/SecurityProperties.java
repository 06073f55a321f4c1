package io.nauta.api.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The API server's transport security and authentication ({@code nauta.security.*}).
 *
 * @param enabled HTTPS with the cluster PKI, authentication and authorization of every request: on
 *     by default (secure out of the box, as k3s). {@code false} is a deliberate opt-out for a
 *     throw-away local server: plain HTTP, and every caller may do everything
 * @param pkiDir where the PKI lives: created on first start, renewed when due (see {@code
 *     ClusterPki}); {@code ~/.nauta/pki} unless set (application.yaml)
 * @param tokenAuthFile an optional static token file in Kubernetes' CSV format ({@code
 *     token,user,uid,"group1,group2"}), as kube-apiserver's --token-auth-file
 * @param tokenCacheTtl how long an accepted bearer token is remembered without being checked again
 *     (Kubernetes: 10 s)
 * @param nodeName the node the agent's client certificate is made for ({@code system:node:<name>});
 *     blank is this host's name
 * @param kubeconfigServer the server URL written into the admin's and the components' kubeconfigs
 *     in the PKI directory; blank is this server's own {@code https://127.0.0.1:<port>}. Several
 *     API servers sharing one PKI directory name one of them (or a load balancer), so the last to
 *     start does not point every kubeconfig at itself ({@code deploy/nauta up --ha})
 */
@ConfigurationProperties("nauta.security")
public record SecurityProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("") String pkiDir,
    @DefaultValue("") String tokenAuthFile,
    @DefaultValue("10s") Duration tokenCacheTtl,
    @DefaultValue("") String nodeName,
    @DefaultValue("") String kubeconfigServer) {}
