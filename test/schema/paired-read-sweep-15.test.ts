// The clone suite's drift-case sweep on PostgreSQL 15 (paired-read-sweep.ts).
import { sweepDriftCases } from "./paired-read-sweep.ts";

sweepDriftCases(15);
