"""Documents managed from the page: upload, delete, rebuild, and the progress of each (admin only).

An upload is checked and ingested alone before anything changes (see corpus/upload.py); the change and
the rebuild then run as a job of the BuildQueue, which undoes the change when the rebuild fails.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..corpus import remove as corpus_remove
from ..corpus import upload as corpus_upload
from ..corpus.ingest import SUFFIXES
from ..errors import InputError, NotFoundError, PolicyQAError
from ..index.jobs import BuildQueue
from ..query.holder import EngineHolder
from ..settings import Settings
from .access import admin_only

MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the file, allowed above the size limit
UPLOAD_PATH = "/api/admin/documents"


class TooLarge(PolicyQAError):
    http_status = 413


class DocumentAdmin:
    def __init__(self, settings: Settings, holder: EngineHolder):
        self.settings = settings
        self.holder = holder
        self.queue = BuildQueue(settings, lambda: holder.get().version)
        corpus_upload.clear_stale(settings.corpus_dir)  # uploads staged before a restart belong to no job
        self.router = APIRouter(prefix="/api/admin", dependencies=[Depends(admin_only(settings))])
        r = self.router
        r.add_api_route("/jobs", self.jobs, methods=["GET"])
        r.add_api_route("/jobs/{job_id}", self.job, methods=["GET"])
        r.add_api_route("/documents", self.upload, methods=["POST"], status_code=202)
        r.add_api_route("/documents/{doc_id:path}", self.delete, methods=["DELETE"], status_code=202)
        r.add_api_route("/rebuild", self.rebuild, methods=["POST"], status_code=202)

    def close(self) -> None:
        self.queue.close()

    async def jobs(self):
        return {
            "jobs": [j.to_dict() for j in reversed(list(self.queue.jobs.values()))],
            "max_upload_bytes": self.settings.max_upload_bytes,
            "accepted": sorted(SUFFIXES),
        }

    async def job(self, job_id: str):
        job = self.queue.get(job_id)
        if job is None:
            raise NotFoundError(f"没有这个任务 (no job {job_id!r})")
        return job.to_dict()

    async def upload(self, request: Request):
        limit = self.settings.max_upload_bytes
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            raise InputError(
                "请以 multipart/form-data 上传，文件字段名为 file (send the file as form field 'file')"
            )
        form = await request.form(max_files=1, max_fields=4)
        try:
            part = form.get("file")
            if not isinstance(part, UploadFile):
                raise InputError("缺少文件字段 file (no form field 'file' with a file)")
            data = await part.read(limit + 1)
            if len(data) > limit:
                raise TooLarge(f"文件过大：上限 {limit // (1024 * 1024)} MB (the file is over {limit} bytes)")
            name = part.filename
        finally:
            await form.close()
        staged = await run_in_threadpool(
            corpus_upload.stage, data, name, self.settings.corpus_dir, self.settings.chunk_size,
            self.settings.chunk_overlap,
        )  # fmt: skip
        try:
            self._check_free(staged)
        except PolicyQAError:
            staged.discard()
            raise
        target = self.settings.corpus_dir / staged.name
        job = self.queue.submit(
            "upload",
            apply=lambda: corpus_upload.commit(staged, self.settings.corpus_dir),
            revert=lambda: target.unlink(missing_ok=True),
            file=staged.name,
            doc_ids=[d["doc_id"] for d in staged.documents],
        )
        return JSONResponse({"job": job.to_dict(), "documents": staged.documents}, status_code=202)

    def _check_free(self, staged: corpus_upload.Staged) -> None:
        """The name and the document ids must be new: neither in the corpus, the index nor a queued job."""
        target = self.settings.corpus_dir / staged.name
        waiting = {j.file for j in self.queue.pending() if j.kind == "upload"}
        if target.exists() or target.is_symlink() or staged.name in waiting:
            raise corpus_upload.UploadConflict(
                f"语料中已有同名文件 {staged.name}，请先删除或改名 (a file of that name exists)"
            )
        try:
            live = self.holder.get().index.documents
        except PolicyQAError:
            live = {}
        queued = {d for j in self.queue.pending() if j.kind == "upload" for d in j.doc_ids}
        taken = [d["doc_id"] for d in staged.documents if d["doc_id"] in live or d["doc_id"] in queued]
        if taken:
            raise corpus_upload.UploadConflict(
                f"已有编号相同的文件：{', '.join(taken)} (a document with this id exists)"
            )

    async def delete(self, doc_id: str):
        engine = await run_in_threadpool(self.holder.get)
        doc = engine.document(doc_id)  # 404 when unknown
        if len(engine.index.documents) <= 1:
            raise corpus_upload.UploadConflict(
                "这是唯一的文件，不能删除 (the only document cannot be deleted)"
            )
        source = doc["source"]
        corpus_remove.source_file(self.settings.corpus_dir, source)  # refuse now what the job would refuse
        removal: dict = {}

        def apply():
            removal["r"] = corpus_remove.remove(self.settings.corpus_dir, source)

        job = self.queue.submit(
            "delete",
            apply=apply,
            revert=lambda: removal["r"].restore() if "r" in removal else None,
            done=lambda: removal["r"].purge(),
            file=source,
            doc_ids=[doc_id],
        )
        return JSONResponse({"job": job.to_dict()}, status_code=202)

    async def rebuild(self):
        job = self.queue.submit("rebuild")
        return JSONResponse({"job": job.to_dict()}, status_code=202)
