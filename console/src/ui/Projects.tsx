import { useState } from "preact/hooks";
import type { Api, Membership, ProjectCreate } from "../api/client.js";
import { formProblem, type FormProblem } from "../api/formProblem.js";
import { FormErrors, SelectField, TextField, focusFirstError } from "./fields.js";
import { LoadError, Loading } from "./states.js";
import { useLoad } from "./useLoad.js";

const ENVIRONMENTS = ["production", "staging", "development"] as const;
const PLATFORMS = ["web", "ios", "android", "server"] as const;
const FORM = "create-project";
const FIELDS = ["name", "environment", "platform"] as const;

/** The org's projects, and creating one (admins); Settings will take this over. */
export function Projects({ api, membership }: { api: Api; membership: Membership }) {
  const orgId = membership.orgId;
  const [projects, reload] = useLoad(() => api.listProjects(orgId), `projects:${orgId}`);
  const [created, setCreated] = useState<string | null>(null);
  let body;
  if (projects.state === "loading") body = <Loading what="projects" />;
  else if (projects.state === "error" && projects.problem.code === "forbidden")
    body = <p class="empty">Only admins of this organization see its projects here.</p>;
  else if (projects.state === "error") body = <LoadError what="projects" problem={projects.problem} onRetry={reload} />;
  else if (projects.data.items.length === 0) body = <p class="empty">No projects yet.</p>;
  else
    body = (
      <table>
        <caption class="visually-hidden">Projects</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Environment</th>
            <th scope="col">Platform</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {projects.data.items.map((project) => (
            <tr key={project.id}>
              <td>{project.name}</td>
              <td>{project.environment}</td>
              <td>{project.platform}</td>
              <td>{project.archived ? "Archived" : "Active"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  return (
    <section aria-labelledby="org-projects">
      <h2 id="org-projects">Projects</h2>
      {body}
      {projects.state === "ready" && projects.data.nextCursor && <p class="meta">Showing the first {projects.data.items.length}.</p>}
      {created && (
        <p class="notice" role="status">
          Created project {created}.
        </p>
      )}
      {membership.orgRole === "admin" && (
        <CreateProject
          api={api}
          orgId={orgId}
          onCreated={(name) => {
            setCreated(name);
            reload();
          }}
        />
      )}
    </section>
  );
}

export function CreateProject({ api, orgId, onCreated }: { api: Api; orgId: string; onCreated: (name: string) => void }) {
  const [name, setName] = useState("");
  const [environment, setEnvironment] = useState<NonNullable<ProjectCreate["environment"]>>("production");
  const [platform, setPlatform] = useState<NonNullable<ProjectCreate["platform"]>>("web");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormProblem>({ fields: {}, messages: [] });

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const result = await api.createProject(orgId, { name, environment, platform });
    setBusy(false);
    if (result.ok) {
      setErrors({ fields: {}, messages: [] });
      setName("");
      onCreated(result.data.name);
      return;
    }
    const shown = formProblem(result.problem, FIELDS);
    setErrors(shown);
    focusFirstError(FORM, shown.fields, FIELDS);
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="projects-create">
      <h3 id="projects-create">Create a project</h3>
      <FormErrors messages={errors.messages} />
      <TextField form={FORM} name="name" label="Project name" required value={name} onInput={setName} error={errors.fields.name} />
      <SelectField
        form={FORM}
        name="environment"
        label="Environment"
        value={environment}
        options={ENVIRONMENTS}
        onChange={(value) => setEnvironment(value as typeof environment)}
        error={errors.fields.environment}
      />
      <SelectField
        form={FORM}
        name="platform"
        label="Platform"
        value={platform}
        options={PLATFORMS}
        onChange={(value) => setPlatform(value as typeof platform)}
        error={errors.fields.platform}
      />
      <button type="submit" disabled={busy}>
        {busy ? "Creating…" : "Create project"}
      </button>
    </form>
  );
}
