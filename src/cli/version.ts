import { toolVersion as readToolVersion } from "../assets/root.js";

export const toolVersion: string = readToolVersion();
