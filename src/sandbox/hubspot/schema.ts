import { COMPANY_PROPERTIES, CONTACT_PROPERTIES, DEAL_PROPERTIES, customObjectBaseProperties } from './default-properties.ts';
import type { SandboxObjectDefinition, SandboxProperty } from './types.ts';

/** One object type: its properties and the rules HubSpot applies to them. */
export class ObjectSchema {
  readonly properties = new Map<string, SandboxProperty>();

  constructor(
    /** The name records are filed under: `contacts`, `companies`, `deals` or `2-123456`. */
    readonly id: string,
    /** Used in HubSpot's messages ("Contact already exists"). */
    readonly label: string,
    readonly lastModifiedProperty: string,
    properties: SandboxProperty[],
    /** Properties HubSpot stores lower-cased and matches case-insensitively (email, domain). */
    readonly lowerCased: ReadonlySet<string> = new Set(),
    /** Properties unique in practice without hasUniqueValue (contacts' email). */
    private readonly implicitlyUnique: ReadonlySet<string> = new Set(),
  ) {
    for (const property of properties) this.properties.set(property.name, property);
  }

  isUnique(name: string): boolean {
    return this.implicitlyUnique.has(name) || this.properties.get(name)?.hasUniqueValue === true;
  }

  uniqueProperties(): string[] {
    return [...this.properties.keys()].filter((name) => this.isUnique(name));
  }

  /** The value as HubSpot stores and compares it. */
  normalise(name: string, value: string): string {
    return this.lowerCased.has(name) ? value.toLowerCase() : value;
  }
}

/** Every object type the sandbox knows, reachable by each of its names. */
export class SchemaRegistry {
  private readonly byName = new Map<string, ObjectSchema>();

  constructor(readonly portalId: number) {
    this.register(
      new ObjectSchema('contacts', 'Contact', 'lastmodifieddate', CONTACT_PROPERTIES, new Set(['email']), new Set(['email'])),
      ['contact', '0-1'],
    );
    this.register(new ObjectSchema('companies', 'Company', 'hs_lastmodifieddate', COMPANY_PROPERTIES, new Set(['domain'])), ['company', '0-2']);
    this.register(new ObjectSchema('deals', 'Deal', 'hs_lastmodifieddate', DEAL_PROPERTIES), ['deal', '0-3']);
  }

  get(name: string): ObjectSchema | undefined {
    return this.byName.get(name.toLowerCase());
  }

  all(): ObjectSchema[] {
    return [...new Set(this.byName.values())];
  }

  addObject(definition: SandboxObjectDefinition): ObjectSchema {
    if (!/^2-\d+$/.test(definition.objectTypeId)) {
      throw new Error(`custom object type ids look like "2-123456", got "${definition.objectTypeId}"`);
    }
    if (!/^[a-z][a-z0-9_]*$/i.test(definition.name)) {
      throw new Error(`custom object names are letters, digits and underscores, got "${definition.name}"`);
    }
    const schema = new ObjectSchema(definition.objectTypeId, definition.name, 'hs_lastmodifieddate', [
      ...(definition.properties ?? []).map((property) => ({ custom: true, ...property })),
      ...customObjectBaseProperties(),
    ]);
    this.register(schema, [`p_${definition.name}`, `p${this.portalId}_${definition.name}`]);
    return schema;
  }

  addProperty(object: string, property: SandboxProperty): void {
    const schema = this.get(object);
    if (schema === undefined) throw new Error(`unknown object "${object}": add it with addObject first`);
    schema.properties.set(property.name, { custom: true, ...property });
  }

  private register(schema: ObjectSchema, aliases: string[]): void {
    for (const name of [schema.id, ...aliases]) this.byName.set(name.toLowerCase(), schema);
  }
}
