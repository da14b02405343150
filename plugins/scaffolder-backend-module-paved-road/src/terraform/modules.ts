/** A module templates may call, from `pavedRoad.terraform.modules`. */
export type TerraformModule = {
  source: string;
  version?: string;
  description?: string;
};

/** Where templates pick their modules from, for messages. */
export const MODULES_KEY = 'pavedRoad.terraform.modules';
