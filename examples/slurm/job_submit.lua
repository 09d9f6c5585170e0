--[[
gpuplacer's job-submit plugin for Slurm (job_submit/lua; slurm.conf on the controller: JobSubmitPlugins=lua,
this file beside slurm.conf as job_submit.lua).

The placement service hands a held deferrable job (see cli_filter.lua) back to Slurm through slurmrestd in one
update: its begin time set to the chosen hour, "prefer" set to "gpuplacer-nodes=<node>,<node>", and released.
slurmrestd 22.05 cannot set the nodes a job must run on (its "required_nodes" key is disabled), so this hook,
which runs on every update before Slurm checks it, turns that marker into the job's required nodes and clears
"prefer". Slurm itself then starts the job at that hour on those nodes, even if the service is down by then.
Every other submission and update passes unchanged.
]]

local MARK = "gpuplacer-nodes="

function slurm_job_submit(job_desc, part_list, submit_uid)
  return slurm.SUCCESS
end

function slurm_job_modify(job_desc, job_rec, part_list, modify_uid)
  local prefer = job_desc.prefer
  if prefer == nil or string.sub(prefer, 1, #MARK) ~= MARK then
    return slurm.SUCCESS
  end
  local nodes = string.sub(prefer, #MARK + 1)
  -- Cleared with "" (nil would leave Slurm to refuse the marker as a feature, after part of the update).
  job_desc.prefer = ""
  if not string.match(nodes, "^[%w%-%._,%[%]]+$") then
    slurm.log_user("gpuplacer: \"%s\" is not a node list", nodes)
    return slurm.ERROR
  end
  job_desc.req_nodes = nodes
  slurm.log_info("gpuplacer: job %d to run on %s", job_rec.job_id, nodes)
  return slurm.SUCCESS
end

return slurm.SUCCESS
