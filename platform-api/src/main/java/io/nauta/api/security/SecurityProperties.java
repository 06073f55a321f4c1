package io.nauta.api.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The API server's transport security and authentication ({@code nauta.security.*}).
 *
 * @param enabled HTTPS with the cluster PKI and authentication of every request; off by default for
 *     now (the tests run on plain HTTP until they are converted), on in {@code deploy/nauta up}
 * @param pkiDir where the PKI lives: created on first start, renewed when due (see {@code
 *     ClusterPki}); required when enabled
 * @param tokenAuthFile an optional static token file in Kubernetes' CSV format ({@code
 *     token,user,uid,"group1,group2"}), as kube-apiserver's --token-auth-file
 * @param tokenCacheTtl how long an accepted bearer token is remembered without being checked again
 *     (Kubernetes: 10 s)
 * @param nodeName the node the agent's client certificate is made for ({@code system:node:<name>});
 *     blank is this host's name
 */
@ConfigurationProperties("nauta.security")
public record SecurityProperties(
    @DefaultValue("false") boolean enabled,
    @DefaultValue("") String pkiDir,
    @DefaultValue("") String tokenAuthFile,
    @DefaultValue("10s") Duration tokenCacheTtl,
    @DefaultValue("") String nodeName) {}
