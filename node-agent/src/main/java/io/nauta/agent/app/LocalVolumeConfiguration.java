package io.nauta.agent.app;

import io.nauta.agent.node.AgentNode;
import io.nauta.agent.volumes.LocalVolumeProvisioner;
import io.nauta.agent.volumes.VolumeDirectories;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.ComponentWork;
import io.nauta.core.component.LeaderWork;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code nauta.io/local-volume} provisioner of this agent's nodes ({@link
 * AgentProperties.LocalVolumes}), unless {@code nauta.agent.local-volumes.enabled=false}: real
 * directories under the root on Docker, recorded volumes on simulated nodes.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    name = "nauta.agent.local-volumes.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class LocalVolumeConfiguration {

  @Bean(destroyMethod = "")
  LocalVolumeProvisioner localVolumeProvisioner(
      KubeClient client, AgentNodes nodes, AgentProperties props) {
    Path root = Path.of(props.rootDir());
    return new LocalVolumeProvisioner(
        client,
        nodes.all().stream().map(AgentNode::name).toList(),
        nodes.docker() == null ? VolumeDirectories.recordOnly(root) : new VolumeDirectories(root),
        props.localVolumes().workers());
  }

  /** Runs as long as the agent runs (it waits for its own informers' sync). */
  @Bean
  ComponentWork localVolumeWork(LocalVolumeProvisioner provisioner) {
    return runner ->
        runner.whileRunning(
            LeaderWork.of("local volume provisioner", provisioner::start, provisioner::stop));
  }
}
