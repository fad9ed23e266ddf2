-- A database and role for FlowForge's own tables (consumers, key hashes, usage), beside Kong's.
CREATE ROLE flowforge LOGIN PASSWORD 'flowforge';
CREATE DATABASE flowforge OWNER flowforge;
