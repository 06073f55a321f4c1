// Drives a running Nauta with the TypeScript client generated from its own OpenAPI document
// (target/generated-clients/typescript, copied next to this file as ./client by TypeScriptClientIT).
// Usage: node main.js <server URL> <pod name> <bearer token>. Prints one JSON line with what it
// read back. The token goes through the document's BearerToken scheme (header authorization); the
// server's CA comes from NODE_EXTRA_CA_CERTS.
import { Configuration, CoreV1Api, ResponseError } from './client';

// Only what this script needs from Node.js, so that tsc needs no @types/node.
declare const process: { argv: string[]; exitCode?: number };

async function main(): Promise<void> {
  const [basePath, name, token] = process.argv.slice(2);
  const api = new CoreV1Api(new Configuration({ basePath, apiKey: `Bearer ${token}` }));

  const created = await api.createCoreV1NamespacedPod({
    namespace: 'default',
    ioK8sApiCoreV1Pod: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app: 'ts-client' } },
      spec: { containers: [{ name: 'app', image: 'nauta/busybox:local' }] },
    },
  });

  const read = await api.readCoreV1NamespacedPod({ namespace: 'default', name });

  console.log(
    JSON.stringify({
      createdUid: created.metadata?.uid,
      name: read.metadata?.name,
      namespace: read.metadata?.namespace,
      uid: read.metadata?.uid,
      label: read.metadata?.labels?.['app'],
      image: read.spec?.containers?.[0]?.image,
      phase: read.status?.phase,
      created: read.metadata?.creationTimestamp,
    }),
  );
}

main().catch(async (e: unknown) => {
  if (e instanceof ResponseError) {
    console.error(`HTTP ${e.response.status}: ${await e.response.text()}`);
  } else {
    console.error(e);
  }
  process.exitCode = 1;
});
