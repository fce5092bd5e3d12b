// Role names differ per environment on purpose (production's owner is `shop_prod_owner`, staging's
// `shop_staging_owner`), so before comparing, the baseline's role names are put in the target's
// terms through the target's `database.roles.map` (production role → this environment's role).
// Every place the model holds a role name is rewritten here, and only here: owners, grantees (part
// of a privilege's key), policies' roles, default privileges' creating role and grantee, user
// mappings' role. Pure: a new model, the input untouched.
import { objectKey, type PropValue, type SchemaObject } from "./model.ts";

/** Baseline role name → the target's name for it. Names not in the map are the same on both sides. */
export type RoleMap = Readonly<Record<string, string>>;

export function mapBaselineRoles(
  objects: Record<string, SchemaObject>,
  map: RoleMap | undefined,
): Record<string, SchemaObject> {
  if (!map || Object.keys(map).length === 0) return objects;
  const role = (name: string): string => (Object.hasOwn(map, name) ? (map[name] as string) : name);
  const mapped: Record<string, SchemaObject> = {};
  for (const key in objects) {
    const object = objects[key] as SchemaObject;
    const next = mapObject(object, role);
    mapped[next.key] = next;
  }
  return mapped;
}

function mapObject(object: SchemaObject, role: (name: string) => string): SchemaObject {
  const props: Record<string, PropValue> = { ...object.props };
  if (typeof props.owner === "string") props.owner = role(props.owner);
  switch (object.objectType) {
    case "privilege": {
      const grantee = role(String(props.grantee));
      props.grantee = grantee;
      return { ...object, key: `privilege:${object.name}:${grantee}`, props };
    }
    case "policy":
      props.roles = [...((props.roles as readonly string[] | null) ?? [])].map(role).sort();
      return { ...object, props };
    case "default-privilege": {
      const creator = String(props.role);
      const grantee = role(String(props.grantee));
      const name = `${role(creator)}${object.name.slice(creator.length)}`;
      props.role = role(creator);
      props.grantee = grantee;
      return { ...object, key: `default-privilege:${name}:${grantee}`, name, props };
    }
    case "user-mapping": {
      // `<role>@<server>`: the server is the parent's name, so a role or server with an @ still splits.
      const server = (object.parent ?? "").slice("foreign-server:".length);
      const user = object.name.slice(0, object.name.length - server.length - 1);
      const name = `${role(user)}@${server}`;
      return { ...object, key: objectKey("user-mapping", name), name, props };
    }
    default:
      return props.owner === object.props.owner ? object : { ...object, props };
  }
}
