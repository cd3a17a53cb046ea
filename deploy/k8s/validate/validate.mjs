// Validates Kubernetes manifests (YAML on stdin, as `kubectl kustomize` renders them) against the API schemas that
// kubernetes-models carries, offline. Prints one line per document; exits 1 if any is invalid or of an unknown kind.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

const documents = yaml.loadAll(readFileSync(0, "utf8")).filter(Boolean);
let failed = documents.length === 0;
if (failed) console.log("no documents on stdin");
for (const document of documents) {
  const name = `${document.apiVersion}/${document.kind} ${document.metadata?.name ?? "(no name)"}`;
  let Model;
  try {
    ({ [document.kind]: Model } = await import(`kubernetes-models/${document.apiVersion}/${document.kind}`));
  } catch {
    Model = undefined;
  }
  if (!Model) {
    console.log(`UNKNOWN ${name}`);
    failed = true;
    continue;
  }
  try {
    new Model(document).validate();
    console.log(`ok ${name}`);
  } catch (error) {
    console.log(`INVALID ${name}: ${error.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
