import { readJsonAsset } from "../assets/root.js";

export const toolVersion: string = readJsonAsset<{ version: string }>("package.json").version;
