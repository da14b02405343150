import fs from 'node:fs';
import path from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import {
  buildInfraRequest,
  DATABASE_SIZES,
  ENVIRONMENTS,
  INFRA_KINDS,
} from '../terraform/infraRequest';
import { REPO_ROOT } from './__testUtils__/portalBackend';

// `yarn templates:check`: the Terraform modules the self-service templates call, parsed
// as Terraform reads them, held to the rules every module must keep.

const MODULES_DIR = path.join(REPO_ROOT, 'terraform/modules');
const FILES = ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf'];
const TAGGABLE = ['aws_db_instance', 'aws_sqs_queue', 'aws_s3_bucket'];

type Block = Record<string, any>;
type Module = {
  variables: Record<string, Block>;
  outputs: Record<string, Block>;
  resources: Record<string, Record<string, Block>>;
  locals: Block;
  terraform: Block;
  /** Every file's text, for what the parsed form does not keep. */
  text: string;
};

/** Each module, every file parsed with hcl2json. */
async function readModule(name: string): Promise<Module> {
  const module: Module = {
    variables: {},
    outputs: {},
    resources: {},
    locals: {},
    terraform: {},
    text: '',
  };
  for (const file of fs.readdirSync(path.join(MODULES_DIR, name))) {
    const text = fs.readFileSync(path.join(MODULES_DIR, name, file), 'utf8');
    module.text += text;
    const parsed = await parseHcl(file, text);
    for (const [key, value] of Object.entries(parsed.variable ?? {})) {
      module.variables[key] = (value as Block[])[0];
    }
    for (const [key, value] of Object.entries(parsed.output ?? {})) {
      module.outputs[key] = (value as Block[])[0];
    }
    for (const [type, byName] of Object.entries(parsed.resource ?? {})) {
      for (const [key, value] of Object.entries(byName as Block)) {
        module.resources[type] = {
          ...module.resources[type],
          [key]: (value as Block[])[0],
        };
      }
    }
    for (const locals of parsed.locals ?? []) {
      Object.assign(module.locals, locals);
    }
    if (parsed.terraform) {
      module.terraform = parsed.terraform[0];
    }
  }
  return module;
}

/** The string list of a `contains([...], var.x)` validation. */
function allowedValues(variable: Block): string[] | undefined {
  const condition: string = variable.validation?.[0]?.condition ?? '';
  const list = /contains\(\[([^\]]*)\]/.exec(condition)?.[1];
  return list?.split(',').map(item => JSON.parse(item.trim()));
}

const modules: Record<string, Module> = {};
beforeAll(async () => {
  for (const name of INFRA_KINDS) {
    modules[name] = await readModule(name);
  }
});

it('has a module for each kind the portal offers, and nothing else', () => {
  expect(fs.readdirSync(MODULES_DIR).sort()).toEqual([...INFRA_KINDS].sort());
});

describe.each(INFRA_KINDS)('terraform/modules/%s', name => {
  it('has main, variables, outputs and versions, all parsing', () => {
    expect(fs.readdirSync(path.join(MODULES_DIR, name)).sort()).toEqual(
      [...FILES].sort(),
    );
    expect(Object.keys(modules[name].variables).length).toBeGreaterThan(0);
    expect(Object.keys(modules[name].outputs).length).toBeGreaterThan(0);
  });

  it('gives every variable a description, a type and a validation block', () => {
    for (const [key, variable] of Object.entries(modules[name].variables)) {
      expect({
        key,
        description: typeof variable.description,
        type: variable.type,
        validations: variable.validation?.length ?? 0,
      }).toEqual({
        key,
        description: 'string',
        type: expect.stringMatching(/^\$\{.+\}$/),
        validations: 1,
      });
      const [validation] = variable.validation;
      // Terraform before 1.9 lets a condition refer to its own variable only
      expect(new Set(validation.condition.match(/var\.[a-z_]+/g))).toEqual(
        new Set([`var.${key}`]),
      );
      expect(validation.error_message).toEqual(expect.any(String));
    }
  });

  it('describes every output, and outputs no password', () => {
    for (const [key, output] of Object.entries(modules[name].outputs)) {
      expect({ key, description: typeof output.description }).toEqual({
        key,
        description: 'string',
      });
      expect(key).not.toMatch(/password/i);
      expect(String(output.value)).not.toMatch(/password(?!_secret)/i);
    }
  });

  it('takes no password, and has no secret default', () => {
    for (const [key, variable] of Object.entries(modules[name].variables)) {
      expect(key).not.toMatch(/password|secret|token/i);
      expect(JSON.stringify(variable.default ?? null)).not.toMatch(
        /password|secret/i,
      );
    }
  });

  it('takes service, environment, owner and cost_center, with the environments the portal offers', () => {
    const { variables } = modules[name];
    for (const key of ['service', 'environment', 'owner', 'cost_center']) {
      expect(variables[key]).toBeDefined();
      expect(variables[key].default).toBeUndefined();
    }
    expect(allowedValues(variables.environment)).toEqual([...ENVIRONMENTS]);
  });

  it('tags everything it creates with CostCenter, Service and Owner', () => {
    const { locals, resources } = modules[name];
    expect(locals.tags).toMatchObject({
      CostCenter: '${var.cost_center}',
      Service: '${var.service}',
      Owner: '${var.owner}',
    });
    // the resources that take tags (S3 bucket settings and SQS policies take none)
    const tagged = Object.entries(resources)
      .filter(([type]) => TAGGABLE.includes(type))
      .flatMap(([type, byName]) =>
        Object.entries(byName).map(([key, r]) => ({
          resource: `${type}.${key}`,
          tags: r.tags,
        })),
      );
    expect(tagged.length).toBeGreaterThan(0);
    for (const resource of tagged) {
      expect(resource).toEqual({ ...resource, tags: '${local.tags}' });
    }
  });

  it('pins the AWS provider with a version constraint, provider-agnostic otherwise', () => {
    const { terraform, text } = modules[name];
    expect(terraform.required_version).toMatch(/^>= 1\.\d+/);
    const [providers] = terraform.required_providers;
    expect(providers.aws).toEqual({
      source: 'hashicorp/aws',
      version: expect.stringMatching(/^>= 5\.\d+, < \d+\.\d+$/),
    });
    // a module never configures providers or a backend: the caller does
    expect(text).not.toMatch(/^\s*provider\s+"/m);
    expect(text).not.toMatch(/^\s*backend\s+"/m);
  });

  it('accepts exactly what portal:infra:request writes', async () => {
    const { variables } = modules[name];
    const request = buildInfraRequest({
      kind: name,
      environment: 'production',
      size: name === 'database' ? 'small' : undefined,
      module: { source: `./${name}` },
      facts: {
        service: 'payments-api',
        owner: 'group:default/payments-team',
        costCenter: 'CC-1001',
      },
    });
    const parsed = await parseHcl('request.tf', request.content);
    const { source, ...passed } = parsed.module[`${name}_production`][0];
    expect(source).toBe(`./${name}`);
    const required = Object.entries(variables)
      .filter(([, v]) => !('default' in v))
      .map(([key]) => key)
      .sort();
    expect(
      Object.keys(passed)
        .filter(key => required.includes(key))
        .sort(),
    ).toEqual(required);
    for (const key of Object.keys(passed)) {
      expect({ key, declared: key in variables }).toEqual({
        key,
        declared: true,
      });
    }
    // and the values pass the modules' own checks (RE2 and JS agree on these patterns)
    for (const key of ['service', 'owner', 'cost_center']) {
      const [, literal] =
        /regex\("((?:[^"\\]|\\.)*)"/.exec(
          variables[key].validation[0].condition,
        ) ?? [];
      const pattern = new RegExp(JSON.parse(`"${literal}"`), 'u');
      expect({ key, valid: pattern.test(passed[key]) }).toEqual({
        key,
        valid: true,
      });
    }
    expect(allowedValues(variables.environment)).toContain(passed.environment);
  });
});

describe('terraform/modules/database', () => {
  const db = () => modules.database.resources.aws_db_instance.this;

  it('is a PostgreSQL instance with the sane defaults', () => {
    expect(db()).toMatchObject({
      engine: 'postgres',
      backup_retention_period: 7,
      storage_encrypted: true,
      deletion_protection: true,
      publicly_accessible: false,
      skip_final_snapshot: false,
      multi_az: '${var.environment == "production"}',
    });
  });

  it('lets RDS keep the password in Secrets Manager: never a variable, default or output', () => {
    expect(db().manage_master_user_password).toBe(true);
    expect(db()).not.toHaveProperty('password');
    expect(modules.database.text).not.toMatch(/\bpassword\s*=/);
    expect(modules.database.outputs.master_user_secret_arn.value).toBe(
      '${aws_db_instance.this.master_user_secret[0].secret_arn}',
    );
  });

  it('maps small, medium and large to instance classes and storage', () => {
    expect(allowedValues(modules.database.variables.size)).toEqual([
      ...DATABASE_SIZES,
    ]);
    expect(Object.keys(modules.database.locals.sizes).sort()).toEqual(
      [...DATABASE_SIZES].sort(),
    );
    for (const size of Object.values(
      modules.database.locals.sizes,
    ) as Block[]) {
      expect(size).toEqual({
        instance_class: expect.stringMatching(/^db\./),
        allocated_storage: expect.any(Number),
        max_allocated_storage: expect.any(Number),
      });
    }
  });
});

describe('terraform/modules/queue', () => {
  it('sends what fails to a dead-letter queue', () => {
    const { aws_sqs_queue: queues } = modules.queue.resources;
    expect(queues.this.redrive_policy).toContain(
      'deadLetterTargetArn = aws_sqs_queue.dead_letter.arn',
    );
    expect(queues.this.redrive_policy).toContain(
      'maxReceiveCount     = var.max_receive_count',
    );
    expect(queues.this.sqs_managed_sse_enabled).toBe(true);
    expect(queues.dead_letter.sqs_managed_sse_enabled).toBe(true);
  });
});

describe('terraform/modules/bucket', () => {
  it('encrypts, versions and blocks public access', () => {
    const r = modules.bucket.resources;
    expect(
      r.aws_s3_bucket_versioning.this.versioning_configuration[0].status,
    ).toBe('Enabled');
    expect(
      r.aws_s3_bucket_server_side_encryption_configuration.this.rule[0]
        .apply_server_side_encryption_by_default[0].sse_algorithm,
    ).toEqual(expect.stringContaining('AES256'));
    expect(r.aws_s3_bucket_public_access_block.this).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(r.aws_s3_bucket.this.force_destroy).toBe(false);
  });
});
